package io.skywatch.deadletters;

import io.skywatch.config.SkywatchConfig;
import io.skywatch.problem.Problem.FieldError;
import io.skywatch.problem.ProblemException;
import io.skywatch.security.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What went to the dead-letter topics: counts per stream and the most recent records with their reasons.
 * Read straight from Kafka (the topics are the record of truth), on a worker thread.
 */
@Path("/dead-letters")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeadLettersResource {

    private static final int MAX_RECENT = 500;

    private final DeadLetterTopics topics;
    private final Map<String, String> topicByStream;

    public DeadLettersResource(DeadLetterTopics topics, SkywatchConfig config) {
        this.topics = topics;
        this.topicByStream = Map.of(
                "rockets",
                config.rockets().deadLetterTopic(),
                "sensors",
                config.sensors().deadLetterTopic(),
                "streams",
                config.streams().deadLetterTopic());
    }

    /** Records held by a stream's dead-letter topic. */
    public record StreamCount(String stream, String topic, long records) {}

    @GET
    @Operation(summary = "Dead-lettered record counts per stream")
    public List<StreamCount> counts() {
        return topicByStream.entrySet().stream()
                .map(entry -> new StreamCount(entry.getKey(), entry.getValue(), topics.count(entry.getValue())))
                .toList();
    }

    @GET
    @Path("/{stream}")
    @Operation(summary = "The most recent dead-lettered records of a stream, newest last, with their reasons")
    public List<DeadLetterTopics.DeadLetter> recent(
            @PathParam("stream") String stream, @QueryParam("limit") @DefaultValue("50") int limit) {
        String topic = topicByStream.get(stream);
        if (topic == null) {
            throw ProblemException.notFound("No stream '" + stream + "'; known: " + topicByStream.keySet());
        }
        if (limit < 1 || limit > MAX_RECENT) {
            throw ProblemException.invalidQuery(
                    List.of(new FieldError("limit", "must be between 1 and " + MAX_RECENT)));
        }
        return topics.recent(topic, limit);
    }
}
