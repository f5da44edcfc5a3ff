package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.web.Access.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessTest {

    static final Access OPEN = new Access(Optional.empty());
    static final Access LOCKED = new Access(Optional.of("s3cret"));

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noToken_readsAreOpen_changesAreForbidden() {
        assertThat(OPEN.decide("GET", "/metrics", null)).isEqualTo(Verdict.ALLOW);
        assertThat(OPEN.decide("GET", "/api/v1/settings", null)).isEqualTo(Verdict.ALLOW);
        assertThat(OPEN.decide("HEAD", "/api/v1/cluster", null)).isEqualTo(Verdict.ALLOW);
        assertThat(OPEN.decide("PUT", "/api/v1/settings", null)).isEqualTo(Verdict.FORBIDDEN);
        assertThat(OPEN.decide("POST", "/api/v1/settings", "Bearer anything")).isEqualTo(Verdict.FORBIDDEN);
    }

    @Test
    void token_everythingButHealthNeedsIt() {
        assertThat(LOCKED.decide("GET", "/metrics", null)).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(LOCKED.decide("GET", "/api/v1/cluster", "Bearer wrong")).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(LOCKED.decide("GET", "/api/v1/cluster", "Bearer s3cret")).isEqualTo(Verdict.ALLOW);
        assertThat(LOCKED.decide("PUT", "/api/v1/settings", "bearer  s3cret ")).isEqualTo(Verdict.ALLOW);
        assertThat(LOCKED.decide("PUT", "/api/v1/settings", null)).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(LOCKED.decide("GET", "/", null)).as("the status page too").isEqualTo(Verdict.UNAUTHORIZED);
    }

    @Test
    void token_basicAuthWithTheTokenAsPassword_isAccepted_anyOtherIsNot() {
        assertThat(LOCKED.decide("GET", "/metrics", basic("prometheus", "s3cret"))).isEqualTo(Verdict.ALLOW);
        assertThat(LOCKED.decide("GET", "/metrics", basic("prometheus", "s3cre"))).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(LOCKED.decide("GET", "/metrics", "Basic !!notbase64")).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(LOCKED.decide("GET", "/metrics", "Digest s3cret")).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(LOCKED.decide("GET", "/metrics", "Bearer")).isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(LOCKED.decide("GET", "/metrics", "Bearer ")).isEqualTo(Verdict.UNAUTHORIZED);
    }

    @Test
    void healthChecks_areOpenToLoadBalancers_evenWithAToken_butOnlyForReading() {
        assertThat(LOCKED.decide("GET", "/api/v1/health", null)).isEqualTo(Verdict.ALLOW);
        assertThat(LOCKED.decide("GET", "/api/v1/health/primary", null)).isEqualTo(Verdict.ALLOW);
        assertThat(LOCKED.decide("HEAD", "/api/v1/health/primary/0", null)).isEqualTo(Verdict.ALLOW);
        assertThat(LOCKED.decide("GET", "/api/v1/healthz", null)).as("not a health path").isEqualTo(Verdict.UNAUTHORIZED);
        assertThat(LOCKED.decide("POST", "/api/v1/health/primary", null)).isEqualTo(Verdict.UNAUTHORIZED);
    }
}
