package dev.cryo.benchmarks.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import dev.cryo.server.TokenValidator;

/**
 * The server side of the end-to-end benchmarks: the Cryo starter at {@code /cryo} with an echo
 * and a stream contract, and a plain Spring {@link RawEchoHandler} at {@code /raw} on the same
 * Tomcat, so both paths share one container and its limits. The load driver starts it in a JVM
 * of its own; it writes its port to {@code bench.port-file} once Tomcat listens.
 */
@SpringBootApplication
public class BenchApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenchApplication.class, args);
	}

	/** Benchmarks measure the protocol, not authentication: every token is accepted. */
	@Bean
	TokenValidator benchTokenValidator() {
		return (token) -> true;
	}

	@Bean
	RawEchoHandler rawEchoHandler() {
		return new RawEchoHandler();
	}

	/** Mounted the way the Cryo auto-configuration mounts its endpoint, ahead of the MVC mappings. */
	@Bean
	HandlerMapping rawWebSocketHandlerMapping(RawEchoHandler rawEchoHandler) {
		WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
		mapping.setUrlMap(Map.of("/raw", new WebSocketHttpRequestHandler(rawEchoHandler)));
		mapping.setOrder(-2);
		return mapping;
	}

	/**
	 * Tomcat caches the socket wrappers of closed connections with their read and write buffers
	 * (16 KiB each by default) for reuse; the cache is turned off by default here so that the heap
	 * a held session costs is measured in full rather than taken from the cache.
	 */
	@Bean
	TomcatConnectorCustomizer benchSocketBuffers(@Value("${bench.socket-buffer-pool:0}") String pool,
			@Value("${bench.socket-buffer-size:8192}") String size) {
		return (connector) -> {
			connector.setProperty("socket.bufferPool", pool);
			connector.setProperty("socket.appReadBufSize", size);
			connector.setProperty("socket.appWriteBufSize", size);
		};
	}

	/**
	 * With {@code cryo.transport=netty} the Cryo endpoint has a port of its own; it goes to
	 * {@code bench.cryo-port-file} once the application is ready, as Tomcat's goes to
	 * {@code bench.port-file}.
	 */
	@Bean
	ApplicationListener<ApplicationReadyEvent> cryoPortFileWriter(@Value("${bench.cryo-port-file:}") String portFile) {
		return (event) -> {
			String port = event.getApplicationContext().getEnvironment().getProperty("local.cryo.port");
			if (!portFile.isEmpty() && port != null) {
				writePortFile(portFile, port);
			}
		};
	}

	@Bean
	ApplicationListener<WebServerInitializedEvent> portFileWriter(@Value("${bench.port-file:}") String portFile) {
		return (event) -> {
			if (portFile.isEmpty()) {
				return;
			}
			writePortFile(portFile, Integer.toString(event.getWebServer().getPort()));
		};
	}

	private static void writePortFile(String portFile, String port) {
		try {
			Path target = Path.of(portFile);
			Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
			Files.writeString(temporary, port);
			// Renamed into place so the driver never reads a half-written file.
			Files.move(temporary, target);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot write the port file " + portFile, ex);
		}
	}

}
