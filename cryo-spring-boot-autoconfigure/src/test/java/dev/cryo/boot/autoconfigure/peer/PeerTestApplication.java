package dev.cryo.boot.autoconfigure.peer;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import dev.cryo.boot.autoconfigure.endtoend.CryoEventRecorder;
import dev.cryo.server.TokenValidator;

/** One of the two servers of the peer tests: accepts token "peer-secret" and records every session event. */
@SpringBootConfiguration
@EnableAutoConfiguration
class PeerTestApplication {

	static final String TOKEN = "peer-secret";

	@Bean
	TokenValidator tokenValidator() {
		return TOKEN::equals;
	}

	@Bean
	CryoEventRecorder cryoEventRecorder() {
		return new CryoEventRecorder();
	}

}
