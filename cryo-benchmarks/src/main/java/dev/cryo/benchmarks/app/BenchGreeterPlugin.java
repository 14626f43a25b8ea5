package dev.cryo.benchmarks.app;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import dev.cryo.endpoint.CryoPlugin;
import dev.cryo.endpoint.EndpointMapping;

/**
 * The endpoints scenario's target, the sample's {@code greeter:hello}: a request bound to a
 * record, validated, answered with a record.
 */
@CryoPlugin("greeter")
class BenchGreeterPlugin {

	@EndpointMapping(endpoint = "hello", method = "read")
	Greeting hello(@Valid HelloRequest request) {
		return new Greeting("Hello, " + request.name() + "!");
	}

	record HelloRequest(@NotNull String name) {
	}

	record Greeting(String message) {
	}

}
