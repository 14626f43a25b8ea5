package dev.cryo.endpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The requirements of one endpoint method or of the binary handler, what
 * {@link Requires @Requires} declares: settings equalities, checks, authorities and whether the
 * principal must be authenticated. All must hold.
 *
 * @param settings setting path ({@code plugin.setting}) to the value it must equal (JSON equality)
 * @param checks the checks, asked in order
 * @param authorities authorities the principal must all have
 * @param authenticated whether the principal must be authenticated (not anonymous)
 */
public record Requirements(Map<String, @Nullable Object> settings, List<RequirementCheck> checks,
		List<String> authorities, boolean authenticated) {

	private static final Requirements NONE = new Requirements(Map.of(), List.of(), List.of(), false);

	public Requirements {
		settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
		checks = List.copyOf(checks);
		authorities = List.copyOf(authorities);
	}

	/**
	 * Returns the requirements that always hold.
	 * @return no requirements
	 */
	public static Requirements none() {
		return NONE;
	}

	/**
	 * Returns whether there is nothing to check.
	 * @return whether these are {@link #none()}
	 */
	public boolean isEmpty() {
		return this.settings.isEmpty() && this.checks.isEmpty() && this.authorities.isEmpty() && !this.authenticated;
	}

	/**
	 * Returns a copy that also requires a setting's value.
	 * @param path {@code plugin.setting}
	 * @param value the value it must equal
	 * @return the requirements
	 */
	public Requirements andSetting(String path, @Nullable Object value) {
		Map<String, @Nullable Object> more = new LinkedHashMap<>(this.settings);
		more.put(path, value);
		return new Requirements(more, this.checks, this.authorities, this.authenticated);
	}

	/**
	 * Returns a copy that also asks a check.
	 * @param check the check
	 * @return the requirements
	 */
	public Requirements andCheck(RequirementCheck check) {
		List<RequirementCheck> more = new ArrayList<>(this.checks);
		more.add(check);
		return new Requirements(this.settings, more, this.authorities, this.authenticated);
	}

	/**
	 * Returns a copy that also requires authorities.
	 * @param required the authorities
	 * @return the requirements
	 */
	public Requirements andAuthorities(String... required) {
		List<String> more = new ArrayList<>(this.authorities);
		more.addAll(List.of(required));
		return new Requirements(this.settings, this.checks, more, this.authenticated);
	}

	/**
	 * Returns a copy that also requires an authenticated principal.
	 * @return the requirements
	 */
	public Requirements andAuthenticated() {
		return new Requirements(this.settings, this.checks, this.authorities, true);
	}

	/**
	 * Returns both sets of requirements together.
	 * @param other more requirements
	 * @return the union
	 */
	public Requirements and(Requirements other) {
		Map<String, @Nullable Object> settingsUnion = new LinkedHashMap<>(this.settings);
		settingsUnion.putAll(other.settings);
		List<RequirementCheck> checksUnion = new ArrayList<>(this.checks);
		checksUnion.addAll(other.checks);
		List<String> authoritiesUnion = new ArrayList<>(this.authorities);
		authoritiesUnion.addAll(other.authorities);
		return new Requirements(settingsUnion, checksUnion, authoritiesUnion, this.authenticated || other.authenticated);
	}

}
