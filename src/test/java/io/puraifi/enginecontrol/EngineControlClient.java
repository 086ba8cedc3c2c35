package io.puraifi.enginecontrol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import io.puraifi.enginecontrol.support.ContractValidator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small real-HTTP client for end-to-end tests: JSON in, status and JSON out. Every
 * exchange is checked against the API description the service serves
 * ({@link ContractValidator}): a mismatch fails the test.
 */
final class EngineControlClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final String baseUrl;

	private final String engineId;

	private final String key;

	private final Map<String, String> headers;

	EngineControlClient(int port, String engineId, String key) {
		this("http://localhost:" + port, engineId, key, Map.of());
		ContractValidator.preload(this.baseUrl);
	}

	private EngineControlClient(String baseUrl, String engineId, String key, Map<String, String> headers) {
		this.baseUrl = baseUrl;
		this.engineId = engineId;
		this.key = key;
		this.headers = headers;
	}

	EngineControlClient as(String engineId, String key) {
		return new EngineControlClient(this.baseUrl, engineId, key, this.headers);
	}

	EngineControlClient withHeader(String name, String value) {
		Map<String, String> copy = new LinkedHashMap<>(this.headers);
		copy.put(name, value);
		return new EngineControlClient(this.baseUrl, this.engineId, this.key, copy);
	}

	String engineId() {
		return this.engineId;
	}

	String key() {
		return this.key;
	}

	Response get(String path) {
		return send("GET", path, null);
	}

	Response post(String path, String json) {
		return send("POST", path, json);
	}

	Response put(String path, String json) {
		return send("PUT", path, json);
	}

	Response send(String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.method(method,
					(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (this.engineId != null) {
			request.header("X-Engine-ID", this.engineId);
		}
		if (this.key != null) {
			request.header("X-Engine-Key", this.key);
		}
		this.headers.forEach(request::header);
		HttpRequest built = request.build();
		HttpResponse<String> answer;
		try {
			answer = this.http.send(built, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return new Response(ContractValidator.check(answer, json));
	}

	record Response(HttpResponse<String> raw) {

		int status() {
			return this.raw.statusCode();
		}

		String body() {
			return this.raw.body();
		}

		JsonNode json() {
			return JSON.readTree(this.raw.body());
		}

		String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

		String contentType() {
			return header("Content-Type");
		}

	}

}
