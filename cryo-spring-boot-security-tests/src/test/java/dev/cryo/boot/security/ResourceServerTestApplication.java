package dev.cryo.boot.security;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * An application that is an OAuth 2.0 resource server for JWTs (Boot's {@code JwtDecoder} from
 * {@code spring.security.oauth2.resourceserver.jwt.*}) and serves Cryo at {@code /cryo} without a
 * line of Cryo-specific security code.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ResourceServerTestApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) {
		// The Cryo endpoint is let through the filter chain: Cryo authenticates the upgrade itself,
		// from the bearer token in the authorization query parameter, because a browser cannot send
		// an Authorization header on a WebSocket, so the resource server's filter would refuse it.
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/cryo").permitAll()
			.anyRequest()
			.authenticated()).oauth2ResourceServer((server) -> server.jwt(Customizer.withDefaults()));
		return http.build();
	}

}
