package dev.cryo.endpoint.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.EndpointConnection;
import dev.cryo.endpoint.EndpointException;
import dev.cryo.endpoint.EndpointListener;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.SettingChange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SettingsFactory} and the settings it creates.
 */
class SettingsFactoryTests {

	private ValidatorFactory validation;

	private final SettingsTestRegistry registry = new SettingsTestRegistry();

	private final List<String> events = new CopyOnWriteArrayList<>();

	private SettingsFactory factory;

	private SettingsTestConnection connection;

	@BeforeEach
	void setUp() {
		this.validation = Validation.buildDefaultValidatorFactory();
		this.registry.register(PluginDefinition.builder("test").settings(TestSettings.class).build());
		this.factory = newFactory(List.of());
		this.connection = new SettingsTestConnection("c1").withSettings(this.factory);
	}

	@AfterEach
	void closeValidation() {
		this.validation.close();
	}

	private SettingsFactory newFactory(List<EndpointListener> listeners) {
		return new SettingsFactory(this.registry, new JsonBinder(this.validation.getValidator()), listeners);
	}

	private ConnectionSettings settings() {
		return this.connection.settings();
	}

	@Test
	void recordDefaultsAreTheEmptyObjectBoundWithJavaDefaultsForPrimitives() {
		Map<String, @Nullable Object> expected = new LinkedHashMap<>();
		expected.put("name", null);
		expected.put("count", 0);
		expected.put("enabled", false);
		expected.put("tags", null);
		expected.put("ratio", 0.0);
		assertThat(settings().asMap()).containsOnlyKeys("test");
		assertThat(settings().asMap().get("test")).containsExactlyEntriesOf(expected);
		assertThat(settings().get("test", "count")).isEqualTo(0);
		assertThat(settings().get("test", TestSettings.class)).isEqualTo(new TestSettings(null, 0, false, null, 0.0));
	}

	@Test
	void javaBeanDefaultsAreWhatItsConstructorSet() {
		this.registry.register(PluginDefinition.builder("bean").settings(BeanSettings.class).build());
		assertThat(settings().get("bean", "level")).isEqualTo(3);
		assertThat(settings().get("bean", "mode")).isEqualTo("auto");
		assertThat(settings().get("bean", BeanSettings.class).getLevel()).isEqualTo(3);
	}

	@Test
	void pluginRegisteredAfterTheConnectionOpenedStillGetsDefaults() {
		assertThat(settings().get("late", "count")).isNull();
		this.registry.register(PluginDefinition.builder("late").settings(TestSettings.class).build());
		assertThat(settings().get("late", "count")).isEqualTo(0);
		assertThat(settings().asMap()).containsOnlyKeys("test", "late");
	}

	@Test
	void unknownPluginOrSettingReadsAsNull() {
		assertThat(settings().get("ghost", "x")).isNull();
		assertThat(settings().get("test", "nope")).isNull();
	}

	@Test
	void typedReadOfAnotherTypeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> settings().get("test", BeanSettings.class))
			.withMessageContaining("'test'");
		assertThatIllegalArgumentException().isThrownBy(() -> settings().get("ghost", TestSettings.class));
	}

	@Test
	void typedReadIsCachedUntilTheNextChange() {
		TestSettings first = settings().get("test", TestSettings.class);
		assertThat(settings().get("test", TestSettings.class)).isSameAs(first);
		settings().update("test", Map.of("count", 4));
		TestSettings changed = settings().get("test", TestSettings.class);
		assertThat(changed).isNotSameAs(first);
		assertThat(changed.count()).isEqualTo(4);
	}

	@Test
	void updateMergesIntoTheCurrentValues() {
		settings().update("test", Map.of("name", "ann", "tags", Map.of("room", "a", "level", 2)));
		settings().update("test", Map.of("count", 7));
		assertThat(settings().get("test", "name")).isEqualTo("ann");
		assertThat(settings().get("test", "count")).isEqualTo(7);
		assertThat(settings().get("test", "tags")).isEqualTo(Map.of("room", "a", "level", 2));
		assertThat(settings().get("test", TestSettings.class))
			.isEqualTo(new TestSettings("ann", 7, false, Map.of("room", "a", "level", 2), 0.0));
	}

	@Test
	void valuesHandedOutCannotChangeTheStoredSettings() {
		settings().update("test", Map.of("tags", Map.of("room", "a")));
		Map<String, Map<String, @Nullable Object>> snapshot = settings().asMap();
		@SuppressWarnings("unchecked")
		Map<String, Object> tags = (Map<String, Object>) settings().get("test", "tags");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> tags.put("room", "b"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> snapshot.get("test").put("count", 1));
		settings().update("test", Map.of("count", 5));
		assertThat(snapshot.get("test").get("count")).isEqualTo(0);
	}

	@Test
	void valueOfTheWrongTypeChangesNothing() {
		assertThatExceptionOfType(EndpointException.class)
			.isThrownBy(() -> settings().update("test", orderedMap("name", "bob", "count", "many")))
			.satisfies((ex) -> assertThat(ex.getMessages()).isNotEmpty()
				.allSatisfy((message) -> assertThat(message).startsWith("settings.test")));
		assertThat(settings().get("test", "name")).isNull();
		assertThat(settings().get("test", "count")).isEqualTo(0);
	}

	@Test
	void unknownSettingIsNamedAndChangesNothing() {
		assertThatExceptionOfType(EndpointException.class)
			.isThrownBy(() -> settings().update("test", orderedMap("name", "bob", "nope", 1, "other", 2)))
			.satisfies((ex) -> assertThat(ex.getMessages()).containsExactly("Unknown setting 'test.nope'.",
					"Unknown setting 'test.other'."));
		assertThat(settings().get("test", "name")).isNull();
	}

	@Test
	void settingOfAnUnknownPluginIsUnknown() {
		assertThatExceptionOfType(EndpointException.class)
			.isThrownBy(() -> settings().update("ghost", Map.of("x", 1)))
			.withMessage("Unknown setting 'ghost.x'.");
	}

	@Test
	void constraintViolationChangesNothing() {
		assertThatExceptionOfType(EndpointException.class)
			.isThrownBy(() -> settings().update("test", orderedMap("count", 2, "name", "far too long")))
			.satisfies((ex) -> assertThat(ex.getMessages()).singleElement()
				.satisfies((message) -> assertThat(message).startsWith("settings.test").contains("name")));
		assertThat(settings().get("test", "count")).isEqualTo(0);
	}

	@Test
	void listenerOfOneSettingRunsOnlyForItsChanges() {
		List<SettingChange> heard = new ArrayList<>();
		this.registry.register(PluginDefinition.builder("listener")
			.onSettingChanged("test", "count", (connection, change) -> heard.add(change))
			.build());
		settings().update("test", Map.of("name", "ann"));
		settings().update("test", Map.of("count", 3));
		settings().update("test", Map.of("count", 3));
		assertThat(heard).containsExactly(new SettingChange("test", "count", 0, 3));
	}

	@Test
	void listenerOfEveryPluginSettingRunsOncePerChangedSetting() {
		List<String> heard = new ArrayList<>();
		this.registry.register(PluginDefinition.builder("listener")
			.onSettingChanged("test", null,
					(connection, change) -> heard.add(connection.id() + " " + change.setting() + "=" + change.newValue()))
			.build());
		settings().update("test", orderedMap("name", "ann", "count", 0, "enabled", true));
		assertThat(heard).containsExactly("c1 name=ann", "c1 enabled=true");
	}

	@Test
	void pluginListensToAnotherPluginsSettingAndChangesItsOwn() {
		this.registry.register(PluginDefinition.builder("mirror")
			.settings(TestSettings.class)
			.onSettingChanged("test", "name",
					(connection, change) -> connection.settings().update("mirror", Map.of("name", "+" + change.newValue())))
			.build());
		settings().update("test", Map.of("name", "ann"));
		assertThat(settings().get("mirror", "name")).isEqualTo("+ann");
		assertThat(settings().get("test", "name")).isEqualTo("ann");
	}

	@Test
	void throwingSettingListenerIsLoggedAndTheOthersStillRun() {
		List<String> heard = new ArrayList<>();
		this.registry.register(PluginDefinition.builder("listener")
			.onSettingChanged("test", "count", (connection, change) -> {
				throw new IllegalStateException("boom");
			})
			.onSettingChanged("test", "count", (connection, change) -> heard.add("second"))
			.build());
		settings().update("test", Map.of("count", 1));
		assertThat(heard).containsExactly("second");
		assertThat(settings().get("test", "count")).isEqualTo(1);
	}

	@Test
	void connectionChangedRunsOncePerUpdateAfterTheSettingListenersInOrder() {
		this.registry.register(PluginDefinition.builder("listener")
			.onSettingChanged("test", null, (connection, change) -> this.events.add("setting " + change.setting()))
			.build());
		EndpointListener throwing = new EndpointListener() {
			@Override
			public void onConnectionChanged(EndpointConnection connection, List<SettingChange> changes) {
				SettingsFactoryTests.this.events.add("first");
				throw new IllegalStateException("boom");
			}
		};
		EndpointListener recording = new EndpointListener() {
			@Override
			public void onConnectionChanged(EndpointConnection connection, List<SettingChange> changes) {
				SettingsFactoryTests.this.events.add("second " + connection.id() + " " + changes);
			}
		};
		this.factory = newFactory(List.of(throwing, recording));
		this.connection = new SettingsTestConnection("c2").withSettings(this.factory);
		settings().update("test", orderedMap("name", "ann", "count", 2));
		settings().update("test", Map.of("count", 2));
		assertThat(this.events).containsExactly("setting name", "setting count", "first",
				"second c2 " + List.of(new SettingChange("test", "name", null, "ann"),
						new SettingChange("test", "count", 0, 2)));
	}

	@Test
	void pluginRegisteredAgainWithAnotherTypeStartsFromItsDefaults() {
		PluginDefinition.Builder builder = PluginDefinition.builder("swap").settings(TestSettings.class);
		var registration = this.registry.register(builder.build());
		settings().update("swap", Map.of("count", 9));
		registration.unregister();
		this.registry.register(PluginDefinition.builder("swap").settings(BeanSettings.class).build());
		assertThat(settings().get("swap", BeanSettings.class).getLevel()).isEqualTo(3);
		settings().update("swap", Map.of("level", 4));
		assertThat(settings().get("swap", "level")).isEqualTo(4);
		assertThat(settings().get("swap", "count")).isNull();
	}

	@Test
	void concurrentUpdatesOfDifferentSettingsAreAllKept() throws InterruptedException {
		int rounds = 300;
		Thread names = new Thread(() -> {
			for (int i = 1; i <= rounds; i++) {
				settings().update("test", Map.of("name", "n" + i));
			}
		});
		Thread counts = new Thread(() -> {
			for (int i = 1; i <= rounds; i++) {
				settings().update("test", Map.of("count", i));
			}
		});
		names.start();
		counts.start();
		names.join();
		counts.join();
		assertThat(settings().get("test", TestSettings.class).name()).isEqualTo("n" + rounds);
		assertThat(settings().get("test", "count")).isEqualTo(rounds);
	}

	static Map<String, @Nullable Object> orderedMap(Object... keysAndValues) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	/**
	 * A record of settings with primitives, a constraint and a nested map.
	 */
	public record TestSettings(@Nullable @Size(max = 5) String name, int count, boolean enabled,
			@Nullable Map<String, Object> tags, double ratio) {

	}

	/**
	 * A JavaBean of settings whose constructor sets defaults.
	 */
	public static class BeanSettings {

		private int level = 3;

		private String mode = "auto";

		public int getLevel() {
			return this.level;
		}

		public void setLevel(int level) {
			this.level = level;
		}

		public String getMode() {
			return this.mode;
		}

		public void setMode(String mode) {
			this.mode = mode;
		}

	}

}
