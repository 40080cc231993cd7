package io.hotpass.enrichment.crawl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The SSRF guard, installed as the HTTP client's DNS resolver. It resolves a host, drops every
 * address a crawler must not reach and hands the client only the rest, so the connection goes to
 * exactly the address that was checked (no second lookup a rebinding DNS server could answer
 * differently). Because the crawler follows redirects itself, each hop's host passes through here
 * again. Hosts in the allow-list (tests' loopback fixture sites) are exempt.
 */
public final class AddressGuard implements DnsResolver {

    private final Set<String> allowedPrivateHosts;

    public AddressGuard(Set<String> allowedPrivateHosts) {
        this.allowedPrivateHosts = Set.copyOf(allowedPrivateHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] all = InetAddress.getAllByName(host);
        if (allowedPrivateHosts.contains(host.toLowerCase(Locale.ROOT))) {
            return all;
        }
        List<InetAddress> ok = new ArrayList<>();
        for (InetAddress a : all) {
            if (!isForbidden(a)) {
                ok.add(a);
            }
        }
        if (ok.isEmpty()) {
            throw new BlockedAddressException("host " + host + " resolves only to non-public addresses");
        }
        return ok.toArray(InetAddress[]::new);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : resolve(host)) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return resolve(host)[0].getCanonicalHostName();
    }

    /** Whether an address is one a crawler must never connect to. */
    public static boolean isForbidden(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return forbiddenV4(b);
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local (includes AWS metadata fd00:ec2::254)
            }
            if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return true; // fec0::/10 deprecated site-local
            }
            if (isPrefix(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff) || isPrefix(b, 0, 0x64, 0xff, 0x9b)) {
                // IPv4-mapped ::ffff:a.b.c.d and NAT64 64:ff9b::a.b.c.d reach the embedded IPv4 address
                return forbiddenV4(new byte[] {b[12], b[13], b[14], b[15]});
            }
            if (isPrefix(b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) {
                return true; // deprecated IPv4-compatible ::a.b.c.d
            }
            if (isPrefix(b, 0x20, 0x02)) {
                return forbiddenV4(new byte[] {b[2], b[3], b[4], b[5]}); // 6to4 2002:a.b.c.d::/48
            }
            if (isPrefix(b, 0x20, 0x01, 0, 0) || isPrefix(b, 0x20, 0x01, 0x0d, 0xb8)
                    || isPrefix(b, 0x01, 0, 0, 0, 0, 0, 0, 0)) {
                return true; // Teredo 2001::/32, documentation 2001:db8::/32, discard 100::/64
            }
        }
        return false;
    }

    private static boolean forbiddenV4(byte[] b) {
        int o0 = b[0] & 0xff;
        int o1 = b[1] & 0xff;
        int o2 = b[2] & 0xff;
        return o0 == 0 // 0.0.0.0/8 "this network"
                || o0 == 10 // private
                || o0 == 127 // loopback
                || o0 == 100 && (o1 & 0xc0) == 64 // 100.64.0.0/10 carrier-grade NAT
                || o0 == 169 && o1 == 254 // link-local, cloud metadata 169.254.169.254
                || o0 == 172 && (o1 & 0xf0) == 16 // private
                || o0 == 192 && o1 == 168 // private
                || o0 == 192 && o1 == 0 && (o2 == 0 || o2 == 2) // IETF protocol assignments, TEST-NET-1
                || o0 == 198 && (o1 & 0xfe) == 18 // benchmarking 198.18.0.0/15
                || o0 == 198 && o1 == 51 && o2 == 100 // TEST-NET-2
                || o0 == 203 && o1 == 0 && o2 == 113 // TEST-NET-3
                || o0 >= 224; // multicast, reserved 240/4, broadcast
    }

    private static boolean isPrefix(byte[] b, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
