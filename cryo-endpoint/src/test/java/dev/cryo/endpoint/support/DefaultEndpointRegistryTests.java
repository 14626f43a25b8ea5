package dev.cryo.endpoint.support;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.cryo.endpoint.EndpointRegistry.Registration;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.Requirements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link DefaultEndpointRegistry}.
 */
class DefaultEndpointRegistryTests {

	private final DefaultEndpointRegistry registry = new DefaultEndpointRegistry();

	@Test
	void resolvesEndpointsByAddressAndAlias() {
		PluginDefinition greeter = plugin("greeter", "hello", "hi");
		this.registry.register(greeter);
		assertThat(this.registry.resolve("greeter:hello").endpoint().name()).isEqualTo("hello");
		assertThat(this.registry.resolve("hi").plugin()).isSameAs(greeter);
		assertThat(this.registry.resolve("greeter:bye")).isNull();
		assertThat(this.registry.plugin("greeter")).containsSame(greeter);
		assertThat(this.registry.plugins()).containsExactly(greeter);
	}

	@Test
	void refusesADuplicatePluginName() {
		this.registry.register(plugin("greeter", "hello"));
		assertThatIllegalStateException().isThrownBy(() -> this.registry.register(plugin("greeter", "other")))
			.withMessageContaining("'greeter'");
		assertThat(this.registry.plugins()).hasSize(1);
	}

	@Test
	void refusesADuplicateAlias() {
		this.registry.register(plugin("a", "one", "shared"));
		assertThatIllegalStateException().isThrownBy(() -> this.registry.register(plugin("b", "two", "shared")))
			.withMessageContaining("'shared'")
			.withMessageContaining("a:one");
		assertThat(this.registry.resolve("b:two")).isNull();
	}

	@Test
	void refusesAnAliasThatIsAnotherEndpointsAddress() {
		this.registry.register(plugin("a", "one"));
		assertThatIllegalStateException().isThrownBy(() -> this.registry.register(plugin("b", "two", "a:one")))
			.withMessageContaining("'a:one'");
	}

	@Test
	void refusesAnAddressThatIsAnotherEndpointsAlias() {
		this.registry.register(plugin("b", "two", "a:one"));
		assertThatIllegalStateException().isThrownBy(() -> this.registry.register(plugin("a", "one")));
	}

	@Test
	void refusesASecondBinaryHandler() {
		this.registry.register(PluginDefinition.builder("a").binaryHandler(Requirements.none(), (c, p) -> {
		}).build());
		assertThatIllegalStateException()
			.isThrownBy(() -> this.registry.register(PluginDefinition.builder("b").binaryHandler(Requirements.none(),
					(c, p) -> {
					}).build()))
			.withMessageContaining("binary handler");
		assertThat(this.registry.snapshot().binary().plugin().name()).isEqualTo("a");
	}

	@Test
	void unregisterIsIdempotentAndFreesTheNames() {
		AtomicInteger changes = new AtomicInteger();
		this.registry.addChangeListener(changes::incrementAndGet);
		Registration registration = this.registry.register(plugin("greeter", "hello", "hi"));
		registration.unregister();
		registration.unregister();
		assertThat(changes).hasValue(2);
		assertThat(this.registry.resolve("hi")).isNull();
		assertThat(this.registry.plugins()).isEmpty();
		this.registry.register(plugin("greeter", "hello", "hi"));
		assertThat(this.registry.resolve("hi")).isNotNull();
	}

	@Test
	void unregisteringAnOldRegistrationLeavesAnEqualNewOne() {
		PluginDefinition definition = plugin("greeter", "hello");
		Registration first = this.registry.register(definition);
		first.unregister();
		this.registry.register(definition);
		first.unregister();
		assertThat(this.registry.plugins()).containsExactly(definition);
	}

	@Test
	void aFailingChangeListenerDoesNotStopTheOthers() {
		AtomicInteger changes = new AtomicInteger();
		this.registry.addChangeListener(() -> {
			throw new IllegalStateException("boom");
		});
		this.registry.addChangeListener(changes::incrementAndGet);
		this.registry.register(plugin("greeter", "hello"));
		assertThat(changes).hasValue(1);
	}

	static PluginDefinition plugin(String name, String endpoint, String... aliases) {
		return PluginDefinition.builder(name)
			.endpoint(endpoint, (builder) -> builder.alias(aliases).method("read", null, (context, body) -> "ok"))
			.build();
	}

}
