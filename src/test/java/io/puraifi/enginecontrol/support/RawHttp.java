package io.puraifi.enginecontrol.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per new connection
 * ({@code Connection: close}), so a test knows exactly which connection a request
 * travelled on and can send a body in pieces. Exchanges made with
 * {@link #send(int, String, String, Map, String)} are checked against the API description
 * the service serves ({@link ContractValidator}).
 */
public final class RawHttp {

	private static final int TIMEOUT_MILLIS = 10_000;

	private RawHttp() {
	}

	/**
	 * Sends a request on a new connection and reads the whole answer.
	 * @param port the local port
	 * @param method the method
	 * @param path the path
	 * @param headers extra headers
	 * @param json the body, or null
	 * @return the answer
	 * @throws IOException when the connection fails (refused included)
	 */
	public static Response send(int port, String method, String path, Map<String, String> headers, String json)
			throws IOException {
		try (Socket socket = open(port)) {
			byte[] body = (json != null) ? json.getBytes(StandardCharsets.UTF_8) : new byte[0];
			socket.getOutputStream().write(head(method, path, headers, body.length));
			socket.getOutputStream().write(body);
			socket.getOutputStream().flush();
			Response response = read(socket.getInputStream());
			Map<String, List<String>> sent = new LinkedHashMap<>();
			if (body.length > 0) {
				sent.put("Content-Type", List.of("application/json"));
			}
			headers.forEach((name, value) -> sent.put(name, List.of(value)));
			ContractValidator.check("http://localhost:" + port, new ContractValidator.Exchange(method, path, sent, json,
					response.status(), response.headers(), response.body()));
			return response;
		}
	}

	/**
	 * A new connection to the local port, with read and connect timeouts.
	 * @param port the port
	 * @return the connected socket
	 * @throws IOException when the connection fails (refused included)
	 */
	public static Socket open(int port) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress("localhost", port), TIMEOUT_MILLIS);
			socket.setSoTimeout(TIMEOUT_MILLIS);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * The request line and headers of a request with a body of the given length.
	 * @param method the method
	 * @param path the path
	 * @param headers extra headers
	 * @param contentLength the body's length in bytes
	 * @return the bytes to send before the body
	 */
	public static byte[] head(String method, String path, Map<String, String> headers, int contentLength) {
		StringBuilder head = new StringBuilder(method).append(' ')
			.append(path)
			.append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
		if (contentLength > 0) {
			head.append("Content-Type: application/json\r\nContent-Length: ").append(contentLength).append("\r\n");
		}
		headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		return head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Reads an answer until the server closes the connection.
	 * @param in the connection's input
	 * @return the answer
	 * @throws IOException when reading fails
	 */
	public static Response read(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		in.transferTo(all);
		String text = all.toString(StandardCharsets.UTF_8);
		int headEnd = text.indexOf("\r\n\r\n");
		if (!text.startsWith("HTTP/1.1 ") || headEnd < 0) {
			throw new IOException("Not an HTTP answer: " + text);
		}
		int status = Integer.parseInt(text.substring(9, 12));
		String body = text.substring(headEnd + 4);
		if (text.substring(0, headEnd).toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
			body = unchunk(body);
		}
		Map<String, List<String>> headers = new LinkedHashMap<>();
		String[] lines = text.substring(0, headEnd).split("\r\n");
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.computeIfAbsent(lines[i].substring(0, colon).trim(), (name) -> new ArrayList<>())
					.add(lines[i].substring(colon + 1).trim());
			}
		}
		return new Response(status, body, headers);
	}

	// Chunk sizes count bytes; the bodies of these tests are ASCII, so bytes are
	// characters.
	private static String unchunk(String chunked) {
		StringBuilder body = new StringBuilder();
		int at = 0;
		while (true) {
			int lineEnd = chunked.indexOf("\r\n", at);
			int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
			if (size == 0) {
				return body.toString();
			}
			body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
			at = lineEnd + 2 + size + 2;
		}
	}

	/**
	 * An answer.
	 *
	 * @param status the status code
	 * @param body the body, de-chunked
	 * @param headers the headers, by name as sent
	 */
	public record Response(int status, String body, Map<String, List<String>> headers) {
	}

}
