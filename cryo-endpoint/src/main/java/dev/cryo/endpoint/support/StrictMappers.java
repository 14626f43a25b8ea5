package dev.cryo.endpoint.support;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Builds the strict mapper of {@link JsonBinder}: JSON types are never converted into one
 * another, as yoctopus's format checks refuse them.
 *
 * <ul>
 * <li>a number or boolean where a string is declared is an error, and so is a string, a boolean
 * or a fraction where a number or an integer is declared (an integer is accepted where a
 * fraction is declared: {@code 1} is a valid JSON fraction);</li>
 * <li>{@code null} for a primitive is an error; the empty string stays the empty string (it is
 * not {@code null}, and it is not a valid number, date or object);</li>
 * <li>a single value where an array is declared is an error;</li>
 * <li>dates and times are the {@code java.time} types, read from ISO-8601 strings only
 * (not from numbers, and not leniently: {@code 2024-02-30} is an error);</li>
 * <li>an enum is read from its exact constant name (not its index, not case-insensitively);</li>
 * <li>unknown properties are ignored, as JSON Schema's {@code additionalProperties} allows by
 * default: a client may send more than a handler declares.</li>
 * </ul>
 */
final class StrictMappers {

	private StrictMappers() {
	}

	static JsonMapper create() {
		return JsonMapper.builder()
			.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
			// Enums by their exact constant names, both ways (Jackson 3 defaults to toString()).
			.disable(EnumFeature.READ_ENUMS_USING_TO_STRING)
			.disable(EnumFeature.WRITE_ENUMS_USING_TO_STRING)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
			.disable(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT)
			.disable(DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT)
			.disable(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
			.disable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
			.disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
			.disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
			.disable(MapperFeature.ACCEPT_CASE_INSENSITIVE_VALUES)
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			// Dates only from ISO-8601 text, strictly.
			.defaultLeniency(false)
			.withCoercionConfig(LogicalType.Textual, (config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Object, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.EmptyObject, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Array, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.EmptyArray, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Integer, (config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Float, (config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean, (config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.DateTime, (config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Enum, (config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
			.withCoercionConfigDefaults((config) -> config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
			// java.time's deserializers also read epoch numbers and arrays, whatever the leniency.
			.addModule(new SimpleModule("cryo-strict-dates").setDeserializerModifier(new DatesFromTextOnly()))
			.build();
	}

	/** Lets a {@code java.time} value be read only from a JSON string. */
	private static final class DatesFromTextOnly extends ValueDeserializerModifier {

		@Override
		public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription.Supplier description,
				ValueDeserializer<?> deserializer) {
			Class<?> type = deserializer.handledType();
			return (type != null && type.getName().startsWith("java.time.")) ? new TextOnly(deserializer)
					: deserializer;
		}

	}

	/** Refuses every token but a string (and {@code null}) before the delegate reads it. */
	private static final class TextOnly extends DelegatingDeserializer {

		TextOnly(ValueDeserializer<?> delegate) {
			super(delegate);
		}

		@Override
		protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
			return new TextOnly(delegate);
		}

		@Override
		public Object deserialize(JsonParser parser, DeserializationContext context) {
			if (!parser.hasToken(JsonToken.VALUE_STRING) && !parser.hasToken(JsonToken.VALUE_NULL)) {
				throw MismatchedInputException.from(parser, this._delegatee.handledType(),
						"A date or time must be an ISO-8601 string");
			}
			return super.deserialize(parser, context);
		}

	}

}
