package dev.tandem.dcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcdSettingsTest {

    static EtcdSettings of(List<String> endpoints, boolean insecure) {
        return new EtcdSettings(endpoints, "/tandem/c1/", null, null, null, null, null, insecure, 3, true);
    }

    @Test
    void plaintextIsAcceptedOnLoopbackOnly() {
        assertThat(of(List.of("http://127.0.0.1:2379", "http://localhost:2380", "http://[::1]:2381"), false).problems())
                .isEmpty();
        assertThat(of(List.of("http://127.0.0.1:2379", "http://10.0.0.5:2379"), false).problems())
                .singleElement().asString().contains("10.0.0.5").contains("plaintext").contains("--etcd-insecure");
        assertThat(of(List.of("http://10.0.0.5:2379"), true).problems()).isEmpty();
        assertThat(of(List.of("https://10.0.0.5:2379"), false).problems()).isEmpty();
    }

    @Test
    void aNameThatMerelyLooksLocalIsNotLoopback() {
        assertThat(EtcdSettings.loopback("127.0.0.1.example.com")).isFalse();
        assertThat(EtcdSettings.loopback("localhost.evil")).isFalse();
        assertThat(EtcdSettings.loopback("127.0.0.2")).isTrue();
    }

    @Test
    void brokenSettingsAreEachSaid() {
        EtcdSettings s = new EtcdSettings(List.of("https://a:1", "http://127.0.0.1:2", "ftp://b:3", "nonsense"),
                "tandem", null, "/c.pem", null, "root", null, false, 1, true);
        assertThat(s.problems()).hasSize(7).anyMatch(p -> p.contains("mix")).anyMatch(p -> p.contains("--etcd-key"))
                .anyMatch(p -> p.contains("--etcd-password-file")).anyMatch(p -> p.contains("prefix"))
                .anyMatch(p -> p.contains("lease")).anyMatch(p -> p.contains("ftp://b:3"))
                .anyMatch(p -> p.contains("nonsense"));
        assertThat(of(List.of(), false).problems()).containsExactly("no etcd endpoint given");
        assertThat(new EtcdSettings(List.of("http://127.0.0.1:2"), "/t/", "/ca.pem", null, null, null, null, false, 3,
                true).problems()).containsExactly("TLS files given but the etcd endpoints are http://");
    }

    @Test
    void anOlderDescriptorWithoutALeaseGetsTheDefault() {
        assertThat(new EtcdSettings(List.of("http://127.0.0.1:2"), "/t/", null, null, null, null, null, false, 0, false)
                .leaseTtlSeconds()).isEqualTo(EtcdSettings.DEFAULT_LEASE_TTL_SECONDS);
    }

    @Test
    void aDaemonOnTheCoordinatorHostWaitsOneLeasePeriod_othersCampaignAtOnce() {
        EtcdSettings prefer = of(List.of("http://127.0.0.1:2379"), false);
        assertThat(Campaign.waitBefore(0, false, prefer)).isEqualTo(Duration.ZERO);
        assertThat(Campaign.waitBefore(0, true, prefer)).isEqualTo(Duration.ofSeconds(3));
        assertThat(Campaign.waitBefore(Duration.ofSeconds(2).toNanos(), true, prefer)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Campaign.waitBefore(Duration.ofSeconds(4).toNanos(), true, prefer).isPositive()).isFalse();
        EtcdSettings noPreference = new EtcdSettings(List.of("http://127.0.0.1:2379"), "/t/", null, null, null, null,
                null, false, 3, false);
        assertThat(Campaign.waitBefore(0, true, noPreference)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aLeaseIsTrustedForNineTenthsOfItsTtlFromWhenItsRenewalWasSent() {
        assertThat(Campaign.validUntil(1_000, 3)).isEqualTo(1_000 + 2_700_000_000L);
    }
}
