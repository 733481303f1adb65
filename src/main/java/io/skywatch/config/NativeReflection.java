package io.skywatch.config;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.skywatch.alerts.Alert;
import io.skywatch.alerts.AlertRule;
import io.skywatch.live.Subscription;
import io.skywatch.problem.Problem;
import io.skywatch.rockets.RocketMessagesResource;
import io.skywatch.sensors.SensorReadingsResource;
import io.skywatch.sensors.StationsResource;
import io.skywatch.streams.StreamIngest;
import io.skywatch.streams.StreamWindows;
import io.skywatch.streams.StreamsResource;

/**
 * Types Jackson writes that Quarkus cannot see in a REST method signature, so a native executable would not keep
 * their accessors: bodies of a {@code Response} or problem+json mapper, and values put into live messages and
 * topic records with {@code ObjectMapper.valueToTree}. In JVM mode this changes nothing.
 */
@RegisterForReflection(
        targets = {
            Problem.class,
            Problem.FieldError.class,
            RocketMessagesResource.Accepted.class,
            SensorReadingsResource.BatchResult.class,
            SensorReadingsResource.Rejection.class,
            StreamIngest.BatchResult.class,
            StreamIngest.Rejection.class,
            StationsResource.StationView.class,
            StreamsResource.StreamView.class,
            AlertRule.class,
            Alert.class,
            Subscription.class,
            io.skywatch.rockets.Rocket.class,
            io.skywatch.rockets.Rocket.Skipped.class,
            StreamWindows.Window.class,
            StreamWindows.Count.class,
            io.skywatch.security.ApiKeysResource.CreatedKey.class,
            io.skywatch.security.ApiKeysResource.KeyView.class
        })
final class NativeReflection {

    private NativeReflection() {}

    /**
     * Documents the Mongo driver maps with its POJO codecs ({@code getCollection(name, Type.class)}): the automatic
     * {@code PojoCodecProvider} finds their properties by reflection, and without it finds none and offers no codec
     * ("Can't find a codec for ..."). Quarkus registers only the Panache entities of repositories, so the others are
     * listed here; the full hierarchy takes their nested types (windows, stats, filters) along.
     */
    @RegisterForReflection(
            registerFullHierarchy = true,
            targets = {
                io.skywatch.rockets.RocketProjection.class,
                io.skywatch.rockets.RocketEvent.class,
                io.skywatch.aggregates.WindowAggregate.class,
                io.skywatch.sensors.StoredReading.class,
                io.skywatch.sensors.StationState.class,
                io.skywatch.sensors.Station.class,
                AlertRule.class,
                Alert.class,
                StreamWindows.class,
                io.skywatch.streams.StreamChannel.class,
                io.skywatch.streams.StreamDefinition.class,
                io.skywatch.streams.StoredStreamEvent.class,
                io.skywatch.streams.StreamAggregates.ClosedWindow.class,
                io.skywatch.security.ApiKey.class
            })
    static final class MongoDocuments {

        private MongoDocuments() {}
    }
}
