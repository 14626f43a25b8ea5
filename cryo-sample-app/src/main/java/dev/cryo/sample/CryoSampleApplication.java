package dev.cryo.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A Cryo server in a few lines: the starter serves {@code ws://localhost:8080/cryo} (and
 * {@code /cryo-cale}, where legacy clients get CALE, see {@code application.yml}), a
 * {@link SampleAuthenticator} accepts the configured tokens and names each session's user, {@link EchoListener} echoes every
 * message back, and {@link AuditExtension} logs message sizes. {@link StreamContract} answers
 * uploads and downloads, and {@link ChatListener} is the chat of the demo page at {@code /}, which
 * uses the JavaScript client the starter serves at {@code /cryo-client/cryo.mjs}. On the
 * endpoint layer, {@link PostsPlugin} writes {@link Post posts} to an embedded H2 database (or
 * PostgreSQL, with {@code spring.datasource.*}), and live data pushes every committed change to
 * every connection.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class CryoSampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(CryoSampleApplication.class, args);
	}

}
