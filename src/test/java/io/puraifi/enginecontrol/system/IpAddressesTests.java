package io.puraifi.enginecontrol.system;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Client addresses are counted by IPv4 address and by IPv6 /64; literals are parsed
 * without DNS and ranges match by prefix.
 */
class IpAddressesTests {

	@ParameterizedTest
	@CsvSource({ "192.0.2.1, 192.0.2.1", "10.0.0.255, 10.0.0.255", "0.0.0.0, 0.0.0.0",
			"2001:0db8:0001:0002:0003:0004:0005:0006, 2001:db8:1:2::/64", "2001:db8:1:2:ffff::1, 2001:db8:1:2::/64",
			"2001:db8:1:2::, 2001:db8:1:2::/64", "2001:db8::1, 2001:db8:0:0::/64", "::1, 0:0:0:0::/64",
			"0:0:0:0:0:0:0:1, 0:0:0:0::/64", "[2001:db8:1:2::7], 2001:db8:1:2::/64", "::ffff:192.0.2.1, 192.0.2.1",
			"0:0:0:0:0:ffff:c000:0201, 192.0.2.1", "FE80::ABCD, fe80:0:0:0::/64" })
	void countingKeyWhenAddressThenIpv4WholeAndIpv6ByItsSlash64(String address, String key) {
		assertThat(IpAddresses.countingKey(address)).isEqualTo(key);
	}

	@ParameterizedTest
	@ValueSource(strings = { "192.0.2.1", "0.0.0.0", "255.255.255.255", "10.0.0.10", "127.0.0.1" })
	void countingKeyWhenCanonicalIpv4ThenTheTextItselfWithoutAParse(String address) {
		assertThat(IpAddresses.isCanonicalIpv4(address)).isTrue();
		assertThat(IpAddresses.countingKey(address)).isSameAs(address);
		assertThat(IpAddresses.parse(address)).get().extracting(InetAddress::getHostAddress).isEqualTo(address);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.04", "1.2.3.00", "1..2.3",
			".1.2.3", "1.2.3.", " 1.2.3.4", "1.2.3.4 ", "1234.1.1.1", "1.2.3.4:80", "::1", "::ffff:1.2.3.4", "a.b.c.d",
			"1.2.3.2555" })
	void isCanonicalIpv4WhenNotAsTheJdkWritesAnAddressThenFalse(String text) {
		assertThat(IpAddresses.isCanonicalIpv4(text)).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "01.2.3.4, 1.2.3.4", "' 1.2.3.4 ', 1.2.3.4", "001.002.003.004, 1.2.3.4", "[1.2.3.4], 1.2.3.4" })
	void countingKeyWhenIpv4NotCanonicalThenParsedAndWrittenCanonical(String address, String key) {
		assertThat(IpAddresses.countingKey(address)).isEqualTo(key);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.-4", "01234.1.1.1",
					"1.2.3.4:80", "2001:db8::1%eth0", "2001:db8:::1", ":::", "1::2::3", ".:1", "g::1", "[::1", "::1]" })
	void parseWhenNotALiteralThenEmpty(String text) {
		assertThat(IpAddresses.parse(text)).isEmpty();
	}

	@ParameterizedTest
	@CsvSource({ "10.0.0.0/8, 10.255.1.2, true", "10.0.0.0/8, 11.0.0.1, false", "192.168.1.7/32, 192.168.1.7, true",
			"192.168.1.7/32, 192.168.1.8, false", "192.168.1.7, 192.168.1.7, true", "10.1.2.3/8, 10.9.9.9, true",
			"0.0.0.0/0, 203.0.113.9, true", "2001:db8::/32, 2001:db8:ffff::1, true",
			"2001:db8::/32, 2001:db9::1, false", "::1/128, ::1, true", "::/0, 10.0.0.1, false",
			"10.0.0.0/8, ::ffff:10.0.0.1, true", "172.16.0.0/12, 172.31.255.255, true",
			"172.16.0.0/12, 172.32.0.0, false" })
	void rangeContainsAnAddressWhenItSharesThePrefix(String range, String address, boolean contained) {
		assertThat(IpAddresses.Range.parse(range).contains(IpAddresses.parse(address).orElseThrow()))
			.isEqualTo(contained);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "10.0.0.0/", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/-1", "10.0.0.0/8/8",
			"10.0.0.0/x", "internal.example/8", "any" })
	void rangeWhenMalformedThenRefusedNamingIt(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> IpAddresses.Range.parse(text))
			.withMessageContaining("'" + text + "'");
	}

}
