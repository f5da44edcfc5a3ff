package dev.tandem.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.catalog.Role;
import dev.tandem.state.StateView;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ApiRouteTest {

    static void fails(int status, String message, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(HttpProblem.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((HttpProblem) e).status()).isEqualTo(status));
    }

    @Test
    void cluster_defaultsToTheProbedDetailView_viewAndQuickAreChosen() {
        assertThat(ApiRoute.parse("GET", "/api/v1/cluster", null)).isEqualTo(new ApiRoute.Cluster(StateView.DETAIL, false));
        assertThat(ApiRoute.parse("GET", "/api/v1/cluster/", "view=errors&quick=true"))
                .isEqualTo(new ApiRoute.Cluster(StateView.ERRORS, true));
        fails(400, "view must be one of", () -> ApiRoute.parse("GET", "/api/v1/cluster", "view=everything"));
        // text-only forms of tandem state are not API views
        fails(400, "view must be one of [brief, detail, errors, mirrors, config, ports, standby]",
                () -> ApiRoute.parse("GET", "/api/v1/cluster", "view=pipe"));
        fails(400, "quick must be true or false", () -> ApiRoute.parse("GET", "/api/v1/cluster", "quick=yes"));
        fails(405, "POST not allowed", () -> ApiRoute.parse("POST", "/api/v1/cluster", null));
    }

    @Test
    void history_paging_isStrict() {
        assertThat(ApiRoute.parse("GET", "/api/v1/history", null))
                .isEqualTo(new ApiRoute.History(new HistoryPaging(50, OptionalLong.empty())));
        assertThat(ApiRoute.parse("GET", "/api/v1/history", "limit=10&before=1700000000000000"))
                .isEqualTo(new ApiRoute.History(new HistoryPaging(10, OptionalLong.of(1700000000000000L))));
        fails(400, "limit must be from 1 to 1000 (was 0)", () -> ApiRoute.parse("GET", "/api/v1/history", "limit=0"));
        fails(400, "limit must be from 1 to 1000 (was 1001)", () -> ApiRoute.parse("GET", "/api/v1/history", "limit=1001"));
        fails(400, "whole number", () -> ApiRoute.parse("GET", "/api/v1/history", "limit=ten"));
        fails(400, "before must be positive", () -> ApiRoute.parse("GET", "/api/v1/history", "before=-5"));
        fails(400, "microseconds since the epoch", () -> ApiRoute.parse("GET", "/api/v1/history", "before=yesterday"));
        fails(400, "unknown query parameter 'limt'", () -> ApiRoute.parse("GET", "/api/v1/history", "limt=5"));
        fails(400, "given twice", () -> ApiRoute.parse("GET", "/api/v1/history", "limit=5&limit=6"));
        fails(400, "not name=value", () -> ApiRoute.parse("GET", "/api/v1/history", "limit"));
        fails(400, "percent-encoding", () -> ApiRoute.parse("GET", "/api/v1/history", "limit=%zz"));
    }

    @Test
    void settings_readAndChange_otherMethodsRefused() {
        assertThat(ApiRoute.parse("GET", "/api/v1/settings", null)).isEqualTo(new ApiRoute.Settings(false));
        assertThat(ApiRoute.parse("PUT", "/api/v1/settings", null)).isEqualTo(new ApiRoute.Settings(true));
        assertThat(ApiRoute.parse("POST", "/api/v1/settings", null)).isEqualTo(new ApiRoute.Settings(true));
        fails(405, "DELETE not allowed", () -> ApiRoute.parse("DELETE", "/api/v1/settings", null));
    }

    @Test
    void health_byInstance_byContent_andTheDaemon() {
        assertThat(ApiRoute.parse("GET", "/api/v1/health", null)).isEqualTo(new ApiRoute.DaemonHealth());
        assertThat(ApiRoute.parse("GET", "/api/v1/health/primary", "host=127.0.0.2&port=6001"))
                .isEqualTo(new ApiRoute.InstanceHealth(Role.PRIMARY, new Health.Instance("127.0.0.2", 6001)));
        assertThat(ApiRoute.parse("GET", "/api/v1/health/mirror", "instance=127.0.0.2:6001"))
                .isEqualTo(new ApiRoute.InstanceHealth(Role.MIRROR, new Health.Instance("127.0.0.2", 6001)));
        assertThat(ApiRoute.parse("GET", "/api/v1/health/primary/3", null)).isEqualTo(new ApiRoute.ContentHealth(3));
        fails(400, "either as ?host=H&port=P or as ?instance=H:P", () -> ApiRoute.parse("GET", "/api/v1/health/primary", null));
        fails(400, "either", () -> ApiRoute.parse("GET", "/api/v1/health/primary", "instance=a:1&host=a"));
        fails(400, "both host and port", () -> ApiRoute.parse("GET", "/api/v1/health/primary", "host=a"));
        fails(400, "port must be from 1 to 65535", () -> ApiRoute.parse("GET", "/api/v1/health/primary", "host=a&port=0"));
        fails(400, "instance must be HOST:PORT", () -> ApiRoute.parse("GET", "/api/v1/health/primary", "instance=a"));
        fails(400, "content must be a number", () -> ApiRoute.parse("GET", "/api/v1/health/primary/x", null));
        fails(404, "health checks: primary, mirror", () -> ApiRoute.parse("GET", "/api/v1/health/leader", null));
        fails(404, "no such endpoint", () -> ApiRoute.parse("GET", "/api/v1/health/mirror/0", null));
        fails(405, "PUT not allowed", () -> ApiRoute.parse("PUT", "/api/v1/health", null));
    }

    @Test
    void unknownEndpoints_are404() {
        fails(404, "known: cluster, history, settings, health", () -> ApiRoute.parse("GET", "/api/v1/nodes", null));
        fails(404, "no such endpoint", () -> ApiRoute.parse("GET", "/api/v1/cluster/extra", null));
        fails(404, "no such endpoint", () -> ApiRoute.parse("GET", "/api/v2/cluster", null));
    }
}
