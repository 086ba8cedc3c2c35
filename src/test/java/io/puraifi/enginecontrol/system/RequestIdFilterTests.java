package io.puraifi.enginecontrol.system;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RequestIdFilterTests {

	private final RequestIdFilter filter = new RequestIdFilter();

	private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/actions/check");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@AfterEach
	void clearMdc() {
		MDC.clear();
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc-123", "A.b_C-9", "7f3c2a9e-0b1d-4e5f-8a6b-1c2d3e4f5a6b" })
	void filterWhenRequestIdSaneThenEchoed(String requestId) throws Exception {
		this.request.addHeader("X-Request-ID", requestId);
		this.filter.doFilter(this.request, this.response, (req, res) -> {
		});
		assertThat(this.response.getHeader("X-Request-ID")).isEqualTo(requestId);
		assertThat(this.request.getAttribute(RequestIdFilter.ATTRIBUTE)).isEqualTo(requestId);
	}

	@Test
	void filterWhenRequestIdHas128CharactersThenEchoed() throws Exception {
		String requestId = "a".repeat(128);
		this.request.addHeader("X-Request-ID", requestId);
		this.filter.doFilter(this.request, this.response, (req, res) -> {
		});
		assertThat(this.response.getHeader("X-Request-ID")).isEqualTo(requestId);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "has space", "a/b", "a;b", "<script>", "caf\u00e9", "line\nbreak", "x:y" })
	void filterWhenRequestIdHasOddCharactersThenReplacedByUuid(String requestId) throws Exception {
		this.request.addHeader("X-Request-ID", requestId);
		this.filter.doFilter(this.request, this.response, (req, res) -> {
		});
		assertGeneratedId(this.response.getHeader("X-Request-ID"));
	}

	@Test
	void filterWhenRequestIdHas129CharactersThenReplacedByUuid() throws Exception {
		this.request.addHeader("X-Request-ID", "a".repeat(129));
		this.filter.doFilter(this.request, this.response, (req, res) -> {
		});
		assertGeneratedId(this.response.getHeader("X-Request-ID"));
	}

	@Test
	void filterWhenNoRequestIdThenUuidEchoedAndKeptForErrorBodies() throws Exception {
		this.filter.doFilter(this.request, this.response, (req, res) -> {
		});
		String generated = this.response.getHeader("X-Request-ID");
		assertGeneratedId(generated);
		assertThat(this.request.getAttribute(RequestIdFilter.ATTRIBUTE)).isEqualTo(generated);
	}

	@Test
	void filterWhenTwoRequestsWithoutIdThenDifferentIds() throws Exception {
		MockHttpServletResponse other = new MockHttpServletResponse();
		this.filter.doFilter(this.request, this.response, (req, res) -> {
		});
		this.filter.doFilter(new MockHttpServletRequest("GET", "/config/global"), other, (req, res) -> {
		});
		assertThat(this.response.getHeader("X-Request-ID")).isNotEqualTo(other.getHeader("X-Request-ID"));
	}

	@Test
	void filterThenRequestIdInMdcDuringChainAndClearedAfter() throws Exception {
		this.request.addHeader("X-Request-ID", "req-42");
		AtomicReference<String> during = new AtomicReference<>();
		this.filter.doFilter(this.request, this.response, (req, res) -> during.set(MDC.get("request_id")));
		assertThat(during.get()).isEqualTo("req-42");
		assertThat(MDC.get("request_id")).isNull();
	}

	@Test
	void filterWhenChainFailsThenMdcClearedAnyway() {
		this.request.addHeader("X-Request-ID", "req-43");
		assertThatExceptionOfType(ServletException.class)
			.isThrownBy(() -> this.filter.doFilter(this.request, this.response, (req, res) -> {
				MDC.put("engine_id", "action");
				throw new ServletException("boom");
			}));
		assertThat(MDC.get("request_id")).isNull();
		assertThat(MDC.get("engine_id")).isNull();
	}

	private static void assertGeneratedId(String id) {
		assertThat(id).isNotNull();
		assertThat(UUID.fromString(id).toString()).isEqualTo(id);
	}

}
