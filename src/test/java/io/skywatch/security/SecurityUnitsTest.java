package io.skywatch.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.skywatch.problem.Problem.FieldError;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pieces of io.skywatch.security that need no gateway: start-up rules, key format, buckets, Mongo safety. */
class SecurityUnitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void securedGatewayWithoutAnyAdminCredentialRefusesToStart() {
        assertThat(SecurityStartup.problems(true, Optional.empty(), false))
                .singleElement()
                .asString()
                .contains("SKYWATCH_SECURITY_ADMIN_KEY")
                .contains("SKYWATCH_SECURITY_ENABLED=false");
    }

    @Test
    void weakBootstrapKeyRefusesToStart() {
        assertThat(SecurityStartup.problems(true, Optional.of("short"), false))
                .singleElement()
                .asString()
                .contains("at least 32 characters");
    }

    @Test
    void credentialsOrAnExplicitOpenGatewayStart() {
        assertThat(SecurityStartup.problems(true, Optional.of("x".repeat(32)), false))
                .isEmpty();
        assertThat(SecurityStartup.problems(true, Optional.empty(), true)).isEmpty();
        assertThat(SecurityStartup.problems(false, Optional.empty(), false)).isEmpty();
    }

    @Test
    void generatedKeysParseAndOnlyTheirOwnSecretMatches() {
        KeySecrets.Generated a = KeySecrets.generate();
        KeySecrets.Generated b = KeySecrets.generate();
        assertThat(a.key()).isNotEqualTo(b.key()).hasSize(63);
        KeySecrets.Parsed parsed = KeySecrets.parse(a.key());
        assertThat(parsed.id()).isEqualTo(a.id());
        assertThat(KeySecrets.matches(parsed.secret(), a.secretHash())).isTrue();
        assertThat(KeySecrets.matches(parsed.secret(), b.secretHash())).isFalse();
        assertThat(a.secretHash()).doesNotContain(parsed.secret());
        assertThat(KeySecrets.parse("sk_nothex_x")).isNull();
        assertThat(KeySecrets.parse(null)).isNull();
    }

    @Test
    void bucketAllowsTheBurstThenTheRate() {
        long t = 1_000_000_000L;
        QuotaLimiter.Bucket bucket = new QuotaLimiter.Bucket(3, t);
        assertThat(bucket.take(1, 3, t)).isZero();
        assertThat(bucket.take(1, 3, t)).isZero();
        assertThat(bucket.take(1, 3, t)).isZero();
        assertThat(bucket.take(1, 3, t)).isEqualTo(1);
        assertThat(bucket.take(1, 3, t + 1_000_000_000L)).isZero();
        assertThat(bucket.take(0.1, 3, t + 1_000_000_000L)).isEqualTo(10);
    }

    @Test
    void callerScopesMatchExactNamesAndPrefixes() {
        Caller caller = new Caller("k", List.of("r-*", "exact"), List.of(), List.of("rockets"), null, null, false);
        assertThat(caller.mayWriteChannel("r-1")).isTrue();
        assertThat(caller.mayWriteChannel("exact")).isTrue();
        assertThat(caller.mayWriteChannel("exactly")).isFalse();
        assertThat(caller.mayWriteChannel("s-1")).isFalse();
        assertThat(caller.mayWriteStation("anything")).isTrue();
        assertThat(caller.mayWriteStream("rockets")).isTrue();
        assertThat(caller.mayWriteStream("sensors")).isFalse();
    }

    @Test
    void operatorKeysDottedKeysAndInexactNumbersAreNotMongoSafe() throws Exception {
        assertThat(MongoSafeJson.violations(JSON.readTree("{\"a\":{\"b\":[1,2.5,{\"c\":\"$where\"}]}}"), "$"))
                .isEmpty();
        assertThat(MongoSafeJson.violations(JSON.readTree("{\"a\":{\"$where\":\"sleep(1000)\"}}"), "$"))
                .singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("$.a.$where"));
        assertThat(MongoSafeJson.violations(JSON.readTree("{\"x\":[{\"$gt\":\"\"}]}"), "$"))
                .singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("$.x[0].$gt"));
        assertThat(MongoSafeJson.violations(JSON.readTree("{\"a.b\":1}"), "$")).hasSize(1);
        assertThat(MongoSafeJson.violations(JSON.readTree("{\"a\\u0000\":1}"), "$"))
                .hasSize(1);
        assertThat(MongoSafeJson.violations(JSON.readTree("{\"n\":1e400}"), "$"))
                .hasSize(1);
        assertThat(MongoSafeJson.violations(JSON.readTree("{\"n\":123456789012345678901234567890}"), "$"))
                .hasSize(1);
        // each path names where it is, after siblings that were walked into and out of
        assertThat(MongoSafeJson.violations(
                        JSON.readTree(
                                "{\"a\":[{\"ok\":[1]},{\"n\":1e400}],\"b\":{\"c\":{\"$x\":1},\"d\":[0,{},1e400]}}"),
                        "$[7]"))
                .extracting(FieldError::field)
                .containsExactly("$[7].a[1].n", "$[7].b.c.$x", "$[7].b.d[2]");
        assertThat(MongoSafeJson.numberViolations(JSON.readTree("{\"$where\":1e400}"), "$"))
                .singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("$.$where"));
    }
}
