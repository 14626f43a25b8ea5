package dev.cryo.endpoint;

import java.util.regex.Pattern;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.jspecify.annotations.Nullable;

/**
 * Checks {@link Hostname @Hostname}.
 */
public final class HostnameValidator implements ConstraintValidator<Hostname, CharSequence> {

	private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

	@Override
	public boolean isValid(@Nullable CharSequence value, ConstraintValidatorContext context) {
		if (value == null) {
			return true;
		}
		String name = value.toString();
		if (name.isEmpty() || name.length() > 253) {
			return false;
		}
		// A fully qualified name may end with the root's empty label.
		String withoutRoot = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
		for (String label : withoutRoot.split("\\.", -1)) {
			if (!LABEL.matcher(label).matches()) {
				return false;
			}
		}
		return true;
	}

}
