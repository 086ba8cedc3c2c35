package io.puraifi.enginecontrol.system;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IP address literals and CIDR ranges, parsed without ever asking DNS: a string that is
 * not an address literal is no address.
 */
public final class IpAddresses {

	private IpAddresses() {
	}

	/**
	 * The address a literal names. An IPv4-mapped IPv6 literal ({@code ::ffff:192.0.2.1})
	 * is the IPv4 address. Brackets around an IPv6 literal are allowed; ports and zone
	 * ids are not.
	 * @param text an IPv4 or IPv6 literal
	 * @return the address, or empty when the text is not a literal
	 */
	public static Optional<InetAddress> parse(String text) {
		if (text == null) {
			return Optional.empty();
		}
		String literal = text.trim();
		if (literal.length() > 2 && literal.charAt(0) == '[' && literal.charAt(literal.length() - 1) == ']') {
			literal = literal.substring(1, literal.length() - 1);
		}
		if (literal.isEmpty() || literal.length() > 45) {
			return Optional.empty();
		}
		if (literal.indexOf(':') < 0) {
			return parseIpv4(literal);
		}
		for (int i = 0; i < literal.length(); i++) {
			char c = literal.charAt(i);
			if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
				return Optional.empty();
			}
		}
		try {
			// Only hex digits, ':' and '.', with a ':': the JDK parses it as an IPv6
			// literal or refuses it, and never looks it up.
			return Optional.of(InetAddress.getByName(literal));
		}
		catch (UnknownHostException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	private static Optional<InetAddress> parseIpv4(String literal) {
		String[] parts = literal.split("\\.", -1);
		if (parts.length != 4) {
			return Optional.empty();
		}
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			String part = parts[i];
			if (part.isEmpty() || part.length() > 3) {
				return Optional.empty();
			}
			int value = 0;
			for (int j = 0; j < part.length(); j++) {
				char c = part.charAt(j);
				if (c < '0' || c > '9') {
					return Optional.empty();
				}
				value = value * 10 + (c - '0');
			}
			if (value > 255) {
				return Optional.empty();
			}
			bytes[i] = (byte) value;
		}
		try {
			return Optional.of(InetAddress.getByAddress(bytes));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("four bytes are always an address", ex);
		}
	}

	/**
	 * What failures are counted under for a client address: an IPv4 address by itself, an
	 * IPv6 address by its /64 prefix (one subscriber's network: its host part is the
	 * subscriber's to choose), written {@code 2001:db8:1:2::/64}.
	 * @param address the client address as a literal
	 * @return the counting key; the text itself when it is not a literal
	 */
	public static String countingKey(String address) {
		// The servlet container's peer address, asked for on every authenticated request,
		// is nearly always written as its own counting key: no parse, no copy.
		if (isCanonicalIpv4(address)) {
			return address;
		}
		return parse(address).map(IpAddresses::countingKey).orElse(address);
	}

	/**
	 * Whether the text is an IPv4 address as {@link InetAddress#getHostAddress()} writes
	 * it: four decimal numbers up to 255, without leading zeros, separated by dots.
	 */
	static boolean isCanonicalIpv4(String text) {
		if (text == null) {
			return false;
		}
		int length = text.length();
		int parts = 0;
		int i = 0;
		while (i < length) {
			int start = i;
			int value = 0;
			while (i < length && i - start < 4 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
				value = value * 10 + (text.charAt(i) - '0');
				i++;
			}
			int digits = i - start;
			if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
				return false;
			}
			parts++;
			if (i == length) {
				return parts == 4;
			}
			if (text.charAt(i) != '.' || parts == 4) {
				return false;
			}
			i++;
		}
		return false;
	}

	/**
	 * What failures are counted under for a client address.
	 * @param address the client address
	 * @return the IPv4 address, or the IPv6 /64 prefix
	 */
	public static String countingKey(InetAddress address) {
		if (address instanceof Inet4Address) {
			return address.getHostAddress();
		}
		byte[] bytes = address.getAddress();
		StringBuilder prefix = new StringBuilder(24);
		for (int group = 0; group < 4; group++) {
			int value = ((bytes[group * 2] & 0xff) << 8) | (bytes[group * 2 + 1] & 0xff);
			prefix.append(Integer.toHexString(value)).append(':');
		}
		return prefix.append(":/64").toString();
	}

	/**
	 * A CIDR range such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is
	 * a range of one.
	 *
	 * @param network the range's first address, host bits cleared
	 * @param prefixLength how many leading bits an address must share with it
	 */
	public record Range(InetAddress network, int prefixLength) {

		/**
		 * Parses a range.
		 * @param text {@code address/prefix-length} or an address
		 * @return the range
		 * @throws IllegalArgumentException when the text is not a range
		 */
		public static Range parse(String text) {
			String trimmed = (text != null) ? text.trim() : "";
			int slash = trimmed.indexOf('/');
			String address = (slash < 0) ? trimmed : trimmed.substring(0, slash);
			InetAddress network = IpAddresses.parse(address)
				.orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range"));
			int bits = network.getAddress().length * 8;
			int prefixLength = bits;
			if (slash >= 0) {
				String length = trimmed.substring(slash + 1);
				if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(Character::isDigit)
						|| Integer.parseInt(length) > bits) {
					throw new IllegalArgumentException(
							"'" + text + "' has no prefix length between 0 and " + bits + " after '/'");
				}
				prefixLength = Integer.parseInt(length);
			}
			return new Range(masked(network, prefixLength), prefixLength);
		}

		/**
		 * Whether the address is in this range; an IPv4 address is never in an IPv6
		 * range, nor the other way round.
		 * @param address the address
		 * @return true when its first {@code prefixLength} bits are the network's
		 */
		public boolean contains(InetAddress address) {
			return address.getAddress().length == this.network.getAddress().length
					&& masked(address, this.prefixLength).equals(this.network);
		}

		private static InetAddress masked(InetAddress address, int prefixLength) {
			byte[] bytes = address.getAddress();
			for (int i = 0; i < bytes.length; i++) {
				int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
				bytes[i] &= (byte) (0xff << (8 - keep));
			}
			try {
				return InetAddress.getByAddress(bytes);
			}
			catch (UnknownHostException ex) {
				throw new IllegalStateException("4 or 16 bytes are always an address", ex);
			}
		}

		@Override
		public String toString() {
			return this.network.getHostAddress() + "/" + this.prefixLength;
		}

	}

}
