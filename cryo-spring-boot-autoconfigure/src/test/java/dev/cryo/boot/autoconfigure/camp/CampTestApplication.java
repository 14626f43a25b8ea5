package dev.cryo.boot.autoconfigure.camp;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

import dev.cryo.boot.autoconfigure.endtoend.CryoEventRecorder;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.event.CryoBinaryMessageEvent;
import dev.cryo.server.event.CryoUtf8MessageEvent;

/**
 * A server that speaks CAMP next to Cryo v1 (as every server does unless
 * {@code cryo.dialects.camp.enabled=false}), echoes every UTF-8 and binary message and records
 * every session event.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(CryoEventRecorder.class)
public class CampTestApplication {

	/** The only token the validator accepts. */
	public static final String TOKEN = "camp-secret";

	/** The path the endpoint is mounted at. */
	public static final String PATH = "/cryo";

	@Bean
	TokenValidator tokenValidator() {
		return TOKEN::equals;
	}

	@Bean
	Echo echo() {
		return new Echo();
	}

	/** Sends every message back to its session. */
	static class Echo {

		@EventListener
		void on(CryoUtf8MessageEvent event) {
			event.getSession().sendUtf8(event.text());
		}

		@EventListener
		void on(CryoBinaryMessageEvent event) {
			event.getSession().sendBinary(event.payload());
		}

	}

}
