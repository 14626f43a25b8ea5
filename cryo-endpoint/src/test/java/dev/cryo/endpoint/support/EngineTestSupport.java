package dev.cryo.endpoint.support;

import java.util.Locale;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.HibernateValidator;

/**
 * What the engine's tests share: a binder whose validator speaks English whatever the machine's
 * locale.
 */
final class EngineTestSupport {

	private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class)
		.configure()
		.defaultLocale(Locale.ENGLISH)
		.buildValidatorFactory()
		.getValidator();

	private EngineTestSupport() {
	}

	static JsonBinder binder() {
		return new JsonBinder(VALIDATOR);
	}

}
