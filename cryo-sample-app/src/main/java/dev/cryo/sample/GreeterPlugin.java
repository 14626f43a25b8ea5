package dev.cryo.sample;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointMapping;

/**
 * The endpoint layer's hello world: {@code greeter:hello} {@code read} with {@code {"name":"Ada"}}
 * answers {@code {"message":"Hello, Ada!"}}.
 */
@CryoPlugin("greeter")
class GreeterPlugin {

	@EndpointMapping(endpoint = "hello", method = "read")
	Greeting hello(@Valid HelloRequest request) {
		return new Greeting("Hello, " + request.name() + "!");
	}

	/**
	 * The request of {@code greeter:hello}.
	 * @param name who to greet
	 */
	record HelloRequest(@NotNull @Size(max = 200) String name) {
	}

	/**
	 * The answer of {@code greeter:hello}.
	 * @param message the greeting
	 */
	record Greeting(String message) {
	}

}
