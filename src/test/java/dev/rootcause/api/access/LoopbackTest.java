package dev.rootcause.api.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Without a configured token, only these addresses may call the API. */
class LoopbackTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, true",
        "127.8.9.10, true",
        "::1, true",
        "0:0:0:0:0:0:0:1, true",
        "10.0.0.5, false",
        "192.168.1.20, false",
        "::ffff:10.0.0.5, false",
        "fe80::1, false",
    })
    void onlyLoopbackAddressesCount(String ip, boolean loopback) {
        assertThat(AccessFilter.isLoopback(SocketAddress.inetSocketAddress(40000, ip))).isEqualTo(loopback);
    }
}
