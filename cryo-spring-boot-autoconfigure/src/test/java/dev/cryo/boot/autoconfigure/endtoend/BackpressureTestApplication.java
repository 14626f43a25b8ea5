package dev.cryo.boot.autoconfigure.endtoend;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cryo.core.SessionId;
import dev.cryo.server.TokenValidator;
import dev.cryo.server.event.CryoSessionWritabilityChangedEvent;

/**
 * The application the backpressure, limits, port and shutdown tests run: token "secret", a
 * plain HTTP endpoint to tell the ports apart, and a record of writability events.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class BackpressureTestApplication {

	static final String TOKEN = "secret";

	@Bean
	TokenValidator tokenValidator() {
		return TOKEN::equals;
	}

	@Bean
	WritabilityEvents writabilityEvents() {
		return new WritabilityEvents();
	}

	static class WritabilityEvents {

		final List<CryoSessionWritabilityChangedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(CryoSessionWritabilityChangedEvent event) {
			this.events.add(event);
		}

		List<Boolean> of(SessionId sid) {
			return this.events.stream()
				.filter((event) -> event.getSession().id().equals(sid))
				.map(CryoSessionWritabilityChangedEvent::isWritable)
				.toList();
		}

	}

	/** Registered as a member class of this configuration. */
	@RestController
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
