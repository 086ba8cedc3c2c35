package io.puraifi.enginecontrol.engine;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.puraifi.enginecontrol.system.IpAddresses;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client address is the direct peer unless that peer is a trusted proxy; then it is
 * the rightmost {@code X-Forwarded-For} entry that is not a trusted proxy.
 */
class ClientAddressesTests {

	private final ClientAddresses trusting = new ClientAddresses(
			List.of(IpAddresses.Range.parse("10.0.0.0/8"), IpAddresses.Range.parse("2001:db8:ffff::/48")));

	@Test
	void forwardedForIsIgnoredWhenNoProxyIsTrusted() {
		MockHttpServletRequest request = request("10.0.0.5", "203.0.113.9");
		assertThat(new ClientAddresses(List.of()).of(request)).isEqualTo("10.0.0.5");
	}

	@Test
	void forwardedForIsIgnoredWhenThePeerIsNotATrustedProxy() {
		assertThat(this.trusting.of(request("192.0.2.1", "203.0.113.9"))).isEqualTo("192.0.2.1");
	}

	@Test
	void clientIsTheEntryTheTrustedProxyWrote() {
		assertThat(this.trusting.of(request("10.0.0.5", "203.0.113.9"))).isEqualTo("203.0.113.9");
	}

	@Test
	void entriesLeftOfTheFirstUntrustedOneAreTheClientsOwnAndIgnored() {
		assertThat(this.trusting.of(request("10.0.0.5", "1.1.1.1, 198.51.100.4, 10.0.0.9"))).isEqualTo("198.51.100.4");
		assertThat(this.trusting.resolve("10.0.0.5", List.of("1.1.1.1", "198.51.100.4, 10.0.0.9")))
			.as("several headers read as one list, in order")
			.isEqualTo("198.51.100.4");
	}

	@Test
	void whenEveryEntryIsATrustedProxyTheLeftmostIsTheClient() {
		assertThat(this.trusting.resolve("10.0.0.5", List.of("10.1.1.1, 10.2.2.2"))).isEqualTo("10.1.1.1");
	}

	@Test
	void withoutForwardedForTheTrustedPeerIsTheClient() {
		assertThat(this.trusting.resolve("10.0.0.5", List.of())).isEqualTo("10.0.0.5");
	}

	@Test
	void whenTheEntryAProxyWroteIsNotAnAddressTheLastProxyIsCounted() {
		assertThat(this.trusting.resolve("10.0.0.5", List.of("203.0.113.9, unknown, 10.0.0.7"))).isEqualTo("10.0.0.7");
		assertThat(this.trusting.resolve("10.0.0.5", List.of("garbage"))).isEqualTo("10.0.0.5");
	}

	@Test
	void ipv6ClientsAreCountedByTheirSlash64() {
		assertThat(this.trusting.resolve("2001:db8:ffff::1", List.of("2001:db8:1:2:aaaa::1")))
			.isEqualTo("2001:db8:1:2::/64");
		assertThat(new ClientAddresses(List.of()).of(request("2001:db8:1:2:0:0:0:9", null)))
			.isEqualTo("2001:db8:1:2::/64");
	}

	private static MockHttpServletRequest request(String peer, String forwardedFor) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setRemoteAddr(peer);
		if (forwardedFor != null) {
			request.addHeader("X-Forwarded-For", forwardedFor);
		}
		return request;
	}

}
