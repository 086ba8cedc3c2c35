package io.puraifi.enginecontrol.engine;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import io.puraifi.enginecontrol.system.IpAddresses;

/**
 * The client address failed authentications are counted under. It is the direct peer,
 * unless the peer is one of {@code engine-control.auth-limits.trusted-proxies}: then it
 * is the rightmost {@code X-Forwarded-For} entry that is not itself a trusted proxy (the
 * entries to its left were written by the client and prove nothing). An IPv6 client is
 * counted by its /64 ({@link IpAddresses#countingKey(InetAddress)}).
 */
final class ClientAddresses {

	static final String FORWARDED_FOR = "X-Forwarded-For";

	/** More entries than any real chain of proxies; the rest are not read. */
	private static final int MAX_ENTRIES = 32;

	private final List<IpAddresses.Range> trustedProxies;

	ClientAddresses(List<IpAddresses.Range> trustedProxies) {
		this.trustedProxies = List.copyOf(trustedProxies);
	}

	/**
	 * The counting key of the request's client.
	 * @param request the request
	 * @return an IPv4 address or an IPv6 /64 prefix
	 */
	String of(HttpServletRequest request) {
		String peer = request.getRemoteAddr();
		if (this.trustedProxies.isEmpty()) {
			return IpAddresses.countingKey(peer);
		}
		return resolve(peer, Collections.list(request.getHeaders(FORWARDED_FOR)));
	}

	/**
	 * The counting key of the client behind a chain of proxies.
	 * @param peer the direct peer's address
	 * @param forwardedFor every {@code X-Forwarded-For} value, in the order received
	 * @return an IPv4 address or an IPv6 /64 prefix
	 */
	String resolve(String peer, List<String> forwardedFor) {
		Optional<InetAddress> peerAddress = IpAddresses.parse(peer);
		if (peerAddress.isEmpty()) {
			return peer;
		}
		InetAddress client = peerAddress.get();
		List<String> entries = entries(forwardedFor);
		for (int i = entries.size() - 1; i >= 0 && isTrusted(client); i--) {
			Optional<InetAddress> entry = IpAddresses.parse(entries.get(i));
			if (entry.isEmpty()) {
				// A trusted proxy writes the address it saw; anything else means the
				// chain cannot be read further, so the last proxy is counted.
				break;
			}
			client = entry.get();
		}
		return IpAddresses.countingKey(client);
	}

	private boolean isTrusted(InetAddress address) {
		for (IpAddresses.Range range : this.trustedProxies) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	private static List<String> entries(List<String> headers) {
		List<String> entries = new ArrayList<>();
		for (String header : headers) {
			for (String entry : header.split(",", -1)) {
				entries.add(entry.trim());
			}
		}
		// The rightmost entries are the ones trusted proxies wrote.
		return (entries.size() > MAX_ENTRIES) ? entries.subList(entries.size() - MAX_ENTRIES, entries.size()) : entries;
	}

}
