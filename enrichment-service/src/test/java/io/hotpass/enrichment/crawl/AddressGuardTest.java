package io.hotpass.enrichment.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressGuardTest {

    @Test
    void refusesLoopbackPrivateLinkLocalCgnatAndMetadata() throws UnknownHostException {
        for (String a : new String[] {"127.0.0.1", "127.1.2.3", "10.0.0.8", "172.16.5.4", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.254", "0.0.0.0", "0.1.2.3", "224.0.0.1",
                "255.255.255.255", "198.18.0.1", "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::1", "fec0::1",
                "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2001:0:1::1",
                "2001:db8::1", "ff02::1"}) {
            assertTrue(AddressGuard.isForbidden(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void allowsPublicAddresses() throws UnknownHostException {
        for (String a : new String[] {"8.8.8.8", "1.1.1.1", "100.128.0.1", "172.32.0.1", "2606:4700:4700::1111",
                "2002:0808:0808::1"}) {
            assertFalse(AddressGuard.isForbidden(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void resolvingAPrivateHostFailsUnlessAllowListed() throws UnknownHostException {
        assertThrows(BlockedAddressException.class, () -> new AddressGuard(Set.of()).resolve("127.0.0.1"));
        assertThrows(BlockedAddressException.class, () -> new AddressGuard(Set.of()).resolve("localhost"));
        assertEquals("127.0.0.1",
                new AddressGuard(Set.of("127.0.0.1")).resolve("127.0.0.1")[0].getHostAddress());
        // The allow-list is exact: another loopback address stays refused.
        assertThrows(BlockedAddressException.class, () -> new AddressGuard(Set.of("127.0.0.1")).resolve("127.0.0.2"));
    }
}
