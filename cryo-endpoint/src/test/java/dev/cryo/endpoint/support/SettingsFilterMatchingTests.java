package dev.cryo.endpoint.support;

import java.util.List;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cryo.endpoint.ConnectionSettings;
import dev.cryo.endpoint.PluginDefinition;
import dev.cryo.endpoint.SettingsFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link dev.cryo.endpoint.SettingsFilter} against the settings a
 * {@link SettingsFactory} makes.
 */
class SettingsFilterMatchingTests {

	private ValidatorFactory validation;

	private ConnectionSettings settings;

	@BeforeEach
	void setUp() {
		this.validation = Validation.buildDefaultValidatorFactory();
		SettingsTestRegistry registry = new SettingsTestRegistry();
		registry.register(PluginDefinition.builder("auth").settings(AuthSettings.class).build());
		SettingsFactory factory = new SettingsFactory(registry, new JsonBinder(this.validation.getValidator()),
				List.of());
		this.settings = new SettingsTestConnection("c1").withSettings(factory).settings();
		this.settings.update("auth", Map.of("isAdmin", true, "level", 1, "score", 2.5,
				"profile", Map.of("team", "blue", "rank", 3, "tags", List.of("a"))));
	}

	@AfterEach
	void closeValidation() {
		this.validation.close();
	}

	@Test
	void emptyFilterMatchesEveryConnection() {
		assertThat(SettingsFilter.all().matches(this.settings)).isTrue();
	}

	@Test
	void everyLeafMustBeEqual() {
		assertThat(SettingsFilter.where("auth", "isAdmin", true).matches(this.settings)).isTrue();
		assertThat(SettingsFilter.where("auth", "isAdmin", true).and("auth", "level", 2).matches(this.settings))
			.isFalse();
		assertThat(SettingsFilter.where("auth", "isAdmin", "true").matches(this.settings)).isFalse();
	}

	@Test
	void numbersCompareAsJsonNumbers() {
		assertThat(SettingsFilter.where("auth", "level", 1.0).matches(this.settings)).isTrue();
		assertThat(SettingsFilter.where("auth", "level", 1L).matches(this.settings)).isTrue();
		assertThat(SettingsFilter.where("auth", "score", 2.5f).matches(this.settings)).isTrue();
		assertThat(SettingsFilter.where("auth", "score", 2).matches(this.settings)).isFalse();
	}

	@Test
	void mapLeafDescendsIntoAMapSetting() {
		assertThat(SettingsFilter.where("auth", "profile", Map.of("team", "blue")).matches(this.settings)).isTrue();
		assertThat(SettingsFilter.where("auth", "profile", Map.of("rank", 3.0, "team", "blue")).matches(this.settings))
			.isTrue();
		assertThat(SettingsFilter.where("auth", "profile", Map.of("team", "red")).matches(this.settings)).isFalse();
		assertThat(SettingsFilter.where("auth", "profile", Map.of("tags", List.of("a"))).matches(this.settings))
			.isTrue();
		assertThat(SettingsFilter.where("auth", "level", Map.of("x", 1)).matches(this.settings)).isFalse();
	}

	@Test
	void unknownPluginOrSettingMatchesOnlyNull() {
		assertThat(SettingsFilter.where("ghost", "x", 1).matches(this.settings)).isFalse();
		assertThat(SettingsFilter.where("ghost", "x", null).matches(this.settings)).isTrue();
		assertThat(SettingsFilter.of(Map.of("auth", true)).matches(this.settings)).isFalse();
	}

	/**
	 * Settings with a nested map and numbers.
	 */
	public record AuthSettings(boolean isAdmin, int level, double score, @Nullable Map<String, Object> profile) {

	}

}
