package io.puraifi.enginecontrol.propagation;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Adds {@code X-Store-Revision} to every API response: the store revision this replica
 * had applied when it answered. After an admin write, pass it as a check's
 * {@code min_revision} to be sure any replica answers with the write in effect.
 */
@ControllerAdvice
class RevisionHeaderAdvice implements ResponseBodyAdvice<Object> {

	private final Changes changes;

	RevisionHeaderAdvice(Changes changes) {
		this.changes = changes;
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
			Class<? extends HttpMessageConverter<?>> selectedConverterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		response.getHeaders().set(Changes.REVISION_HEADER, Long.toString(this.changes.revision()));
		return body;
	}

}
