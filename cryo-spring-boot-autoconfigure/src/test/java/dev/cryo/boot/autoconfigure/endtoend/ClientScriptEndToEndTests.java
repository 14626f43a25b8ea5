package dev.cryo.boot.autoconfigure.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JavaScript client as a browser fetches it: the module and its type declarations byte for
 * byte as {@code cryo-client-js} packages them, with a JavaScript content type, a strong ETag,
 * Last-Modified and {@code Cache-Control: no-cache}; 304 on revalidation; HEAD; 404 for other
 * names; CORS for the origins the endpoint allows (module scripts are fetched with CORS), and
 * none for others.
 */
@SpringBootTest(classes = DialectTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "cryo.allowed-origins=http://app.example")
class ClientScriptEndToEndTests {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void moduleIsServedAsPackagedWithJavaScriptTypeAndCacheValidators() throws Exception {
		HttpResponse<byte[]> response = send(request("/cryo-client/cryo.mjs").GET());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(packaged("cryo.mjs"));
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).startsWith("// Cryo v1 client");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=UTF-8");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
		assertThat(response.headers().firstValue("ETag")).hasValueSatisfying((etag) -> assertThat(etag).matches("\"[\\w-]{43}\""));
		assertThat(response.headers().firstValue("Last-Modified")).isPresent();
	}

	@Test
	void revalidationWithTheEtagOrTheDateGets304WithoutABody() throws Exception {
		HttpResponse<byte[]> first = send(request("/cryo-client/cryo.mjs").GET());
		String etag = first.headers().firstValue("ETag").orElseThrow();
		String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
		HttpResponse<byte[]> byEtag = send(request("/cryo-client/cryo.mjs").header("If-None-Match", etag).GET());
		assertThat(byEtag.statusCode()).isEqualTo(304);
		assertThat(byEtag.body()).isEmpty();
		HttpResponse<byte[]> byDate = send(request("/cryo-client/cryo.mjs").header("If-Modified-Since", lastModified).GET());
		assertThat(byDate.statusCode()).isEqualTo(304);
		HttpResponse<byte[]> changed = send(request("/cryo-client/cryo.mjs").header("If-None-Match", "\"other\"").GET());
		assertThat(changed.statusCode()).isEqualTo(200);
	}

	@Test
	void headAnswersTheHeadersOnly() throws Exception {
		HttpResponse<byte[]> response = send(request("/cryo-client/cryo.mjs").method("HEAD", HttpRequest.BodyPublishers.noBody()));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(packaged("cryo.mjs").length);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void typeDeclarationsAreServedAsText() throws Exception {
		HttpResponse<byte[]> response = send(request("/cryo-client/cryo.d.ts").GET());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(packaged("cryo.d.ts"));
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
	}

	@Test
	void otherNamesUnderThePathAre404() throws Exception {
		assertThat(send(request("/cryo-client/package.json").GET()).statusCode()).isEqualTo(404);
		assertThat(send(request("/cryo-client/").GET()).statusCode()).isEqualTo(404);
		assertThat(send(request("/cryo-client/../cryo-client/cryo.mjs.map").GET()).statusCode()).isEqualTo(404);
	}

	@Test
	void pagesOfAnAllowedOriginMayImportTheModuleAndOthersMayNot() throws Exception {
		HttpResponse<byte[]> allowed = send(request("/cryo-client/cryo.mjs").header("Origin", "http://app.example").GET());
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://app.example");
		assertThat(allowed.headers().allValues("Vary")).anySatisfy((vary) -> assertThat(vary).contains("Origin"));
		HttpResponse<byte[]> other = send(request("/cryo-client/cryo.mjs").header("Origin", "http://evil.example").GET());
		assertThat(other.statusCode()).isEqualTo(200);
		assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

	private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private static byte[] packaged(String name) throws IOException {
		try (InputStream in = ClientScriptEndToEndTests.class.getClassLoader()
			.getResourceAsStream("dev/cryo/client/js/" + name)) {
			assertThat(in).as("cryo-client-js on the test classpath").isNotNull();
			return in.readAllBytes();
		}
	}

}
