package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.Role;
import dev.tandem.fts.RoundReport;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthTest {

    static final Optional<Double> FRESH = Optional.of(0.2);
    static final Optional<RoundReport> HEALTHY = Optional.of(Rounds.round(Rounds.healthy(), Map.of(), 0, 1));
    static final Optional<RoundReport> FAILED_OVER = Optional.of(Rounds.round(Rounds.failedOver(), Map.of(), 0, 1));

    static Health.Instance at(String host, int port) {
        return new Health.Instance(host, port);
    }

    @Test
    void actingPrimary_200_itsMirror_503_andTheMirrorCheckTheOtherWayRound() {
        assertThat(Health.instance(Role.PRIMARY, at("127.0.0.2", 6000), HEALTHY, FRESH).status()).isEqualTo(200);
        Health.Answer mirror = Health.instance(Role.PRIMARY, at("127.0.0.3", 7000), HEALTHY, FRESH);
        assertThat(mirror.status()).isEqualTo(503);
        assertThat(mirror.body().get("reason").asText()).isEqualTo("acting mirror, not primary");
        assertThat(Health.instance(Role.MIRROR, at("127.0.0.3", 7000), HEALTHY, FRESH).status()).isEqualTo(200);
        assertThat(Health.instance(Role.MIRROR, at("127.0.0.2", 6000), HEALTHY, FRESH).status()).isEqualTo(503);
    }

    @Test
    void afterFailover_theOldPrimaryIs503_theOldMirror200_byHostnameToo() {
        assertThat(Health.instance(Role.PRIMARY, at("127.0.0.2", 6000), FAILED_OVER, FRESH).status()).isEqualTo(503);
        Health.Answer now = Health.instance(Role.PRIMARY, at("host-127.0.0.3", 7000), FAILED_OVER, FRESH);
        assertThat(now.status()).isEqualTo(200);
        assertThat(now.body().get("dbid").asInt()).isEqualTo(4);
        assertThat(now.body().get("preferredRole").asText()).isEqualTo("mirror");
        Health.Answer down = Health.instance(Role.MIRROR, at("127.0.0.2", 6000), FAILED_OVER, FRESH);
        assertThat(down.status()).as("a mirror marked down is no mirror to route to").isEqualTo(503);
        assertThat(down.body().get("reason").asText()).isEqualTo("marked down in the catalog");
    }

    @Test
    void unknownInstance_404_unknownContent_404() {
        assertThatThrownBy(() -> Health.instance(Role.PRIMARY, at("127.0.0.2", 6999), HEALTHY, FRESH))
                .isInstanceOf(HttpProblem.class).hasMessageContaining("no instance 127.0.0.2:6999")
                .satisfies(e -> assertThat(((HttpProblem) e).status()).isEqualTo(404));
        assertThatThrownBy(() -> Health.content(7, HEALTHY, FRESH)).isInstanceOf(HttpProblem.class)
                .hasMessageContaining("no content 7");
    }

    @Test
    void staleView_everyCheckIs503_evenTheActingPrimary() {
        RoundReport r = HEALTHY.get();
        double bound = Health.staleAfter(r).toMillis() / 1e3;
        assertThat(bound).isGreaterThanOrEqualTo(5.0);
        Health.Answer stale = Health.instance(Role.PRIMARY, at("127.0.0.2", 6000), HEALTHY, Optional.of(bound + 0.1));
        assertThat(stale.status()).isEqualTo(503);
        assertThat(stale.body().get("reason").asText()).contains("view is stale");
        assertThat(Health.instance(Role.PRIMARY, at("127.0.0.2", 6000), HEALTHY, Optional.of(bound)).status()).isEqualTo(200);
        assertThat(Health.daemon(HEALTHY, Optional.of(bound + 1)).status()).isEqualTo(503);
        assertThat(Health.daemon(HEALTHY, FRESH).status()).isEqualTo(200);
        assertThat(Health.daemon(Optional.empty(), Optional.empty()).status()).isEqualTo(503);
        assertThat(Health.instance(Role.PRIMARY, at("127.0.0.2", 6000), Optional.empty(), Optional.empty()).status())
                .as("before the first round nothing is known").isEqualTo(503);
    }

    @Test
    void content_200WithItsActingPrimary_503WhenThatPrimaryIsDown() {
        Health.Answer a = Health.content(0, FAILED_OVER, FRESH);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get("address").asText()).isEqualTo("127.0.0.3");
        assertThat(a.body().get("port").asInt()).isEqualTo(7000);
        var rows = Rounds.healthy();
        rows.set(1, Rounds.row(2, 0, Role.PRIMARY, Role.PRIMARY, dev.tandem.catalog.Mode.NOT_SYNCED,
                dev.tandem.catalog.Status.DOWN, "127.0.0.2", 6000));
        Health.Answer doubleFault = Health.content(0, Optional.of(Rounds.round(rows, Map.of(), 0, 1)), FRESH);
        assertThat(doubleFault.status()).isEqualTo(503);
        assertThat(doubleFault.body().get("reason").asText()).contains("content unavailable");
    }
}
