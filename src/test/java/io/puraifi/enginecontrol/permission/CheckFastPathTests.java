package io.puraifi.enginecontrol.permission;

import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.engine.EngineRole;
import io.puraifi.enginecontrol.propagation.Changes;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Which checks {@link CheckFastPath} answers itself, and that every other one reaches
 * Spring MVC with its body intact.
 */
class CheckFastPathTests {

	private static final String BODY = "{\"platform\":\"gmail\",\"action_type\":\"send_email\"}";

	private final CheckController checks = mock(CheckController.class);

	private final HandlerExceptionResolver errors = mock(HandlerExceptionResolver.class);

	// as spring.jackson.* configures the application's mapper
	private final JsonMapper json = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final CheckFastPath fastPath = fastPath();

	private CheckFastPath fastPath() {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("checks", this.checks);
		beans.addBean("changes", mock(Changes.class));
		beans.addBean("handlerExceptionResolver", this.errors);
		CheckFastPath fastPath = new CheckFastPath(beans.getBeanProvider(CheckController.class),
				beans.getBeanProvider(Changes.class), beans.getBeanProvider(HandlerExceptionResolver.class), this.json);
		fastPath.afterSingletonsInstantiated();
		return fastPath;
	}

	@Test
	void aPlainCheckIsAnsweredWithoutSpringMvc() throws Exception {
		when(this.checks.decide(any(), any())).thenReturn(new CheckController.CheckResponse(true, null, "Allowed",
				java.util.List.of(), "e1", "gmail", "send_email", null, null, null, null, null, null, 3, null, null));
		MockHttpServletResponse response = new MockHttpServletResponse();
		FilterChain chain = mock(FilterChain.class);
		this.fastPath.doFilter(plain(BODY), response, chain);
		verify(chain, never()).doFilter(any(), any());
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).isEqualTo("application/json");
		assertThat(response.getContentAsString()).contains("\"allowed\":true");
	}

	@Test
	void aRefusalIsAnsweredBySpringMvcsExceptionHandling() throws Exception {
		ProblemException refusal = new ProblemException(ProblemType.FORBIDDEN, "not yours");
		when(this.checks.decide(any(), any())).thenThrow(refusal);
		when(this.errors.resolveException(any(), any(), isNull(), eq(refusal))).thenReturn(new ModelAndView());
		FilterChain chain = mock(FilterChain.class);
		this.fastPath.doFilter(plain(BODY), new MockHttpServletResponse(), chain);
		verify(this.errors).resolveException(any(), any(), isNull(), eq(refusal));
		verify(chain, never()).doFilter(any(), any());
	}

	@Test
	void anythingToNegotiateGoesToSpringMvc() throws Exception {
		MockHttpServletRequest charset = plain(BODY);
		charset.setContentType("application/json;charset=UTF-8");
		MockHttpServletRequest accept = plain(BODY);
		accept.addHeader("Accept", "application/json");
		MockHttpServletRequest version = plain(BODY);
		version.addHeader("API-Version", "1");
		MockHttpServletRequest batch = plain(BODY);
		batch.setRequestURI("/actions/check/batch");
		MockHttpServletRequest anonymous = plain(BODY);
		anonymous.removeAttribute(AuthenticatedEngine.ATTRIBUTE);
		for (MockHttpServletRequest request : new MockHttpServletRequest[] { charset, accept, version, batch,
				anonymous }) {
			FilterChain chain = mock(FilterChain.class);
			this.fastPath.doFilter(request, new MockHttpServletResponse(), chain);
			verify(chain).doFilter(any(), any());
		}
		verify(this.checks, never()).decide(any(), any());
	}

	@Test
	void aBodyItDoesNotTakeReachesSpringMvcWhole() throws Exception {
		for (String body : new String[] { "{\"platform\":\"Gmail\",\"action_type\":\"send_email\"}",
				"{\"platform\":\"gmail\",\"colour\":1}", "{\"platform\":", "[]" }) {
			RecordingChain chain = new RecordingChain();
			this.fastPath.doFilter(plain(body), new MockHttpServletResponse(), chain);
			assertThat(chain.body).isEqualTo(body);
		}
		verify(this.checks, never()).decide(any(), any());
	}

	@Test
	void aBodyItDoesNotTakeCanBeReadAgainWithAListener() throws Exception {
		String body = "{\"platform\":\"Gmail\",\"action_type\":\"send_email\"}";
		StringBuilder read = new StringBuilder();
		FilterChain chain = (request, response) -> {
			ServletInputStream in = request.getInputStream();
			in.setReadListener(new ReadListener() {

				@Override
				public void onDataAvailable() throws java.io.IOException {
					while (in.isReady() && !in.isFinished()) {
						read.append((char) in.read());
					}
				}

				@Override
				public void onAllDataRead() {
					read.append("|done");
				}

				@Override
				public void onError(Throwable error) {
					read.append("|error");
				}

			});
		};
		this.fastPath.doFilter(plain(body), new MockHttpServletResponse(), chain);
		assertThat(read).hasToString(body + "|done");
	}

	private static MockHttpServletRequest plain(String body) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", CheckController.CHECK_PATH);
		request.setContentType("application/json");
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		request.setAttribute(AuthenticatedEngine.ATTRIBUTE, new AuthenticatedEngine("e1", EngineRole.ENGINE));
		return request;
	}

	private static final class RecordingChain implements FilterChain {

		String body;

		@Override
		public void doFilter(ServletRequest request, jakarta.servlet.ServletResponse response)
				throws java.io.IOException {
			this.body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}

	}

}
