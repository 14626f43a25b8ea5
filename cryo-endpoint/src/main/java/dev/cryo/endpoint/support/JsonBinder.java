package dev.cryo.endpoint.support;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.cryo.endpoint.EndpointException;

/**
 * Binds JSON to Java types the way yoctopus checks its formats: strictly (a number where a string
 * is declared is an error, never coerced; so are a string for a number or a boolean, a fraction
 * for an integer, {@code null} for a primitive, a scalar for an array), then validates the result
 * with Bean Validation. Every problem is reported, each with its path ({@code data.address.city:
 * must not be blank}). Unknown properties are ignored (see {@link StrictMappers}).
 */
public final class JsonBinder {

	private final JsonMapper mapper;

	private final Validator validator;

	/** One reader per target type: resolving a generic type costs more than reading a body. */
	private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();

	private final Map<Class<?>, Boolean> constrained = new ConcurrentHashMap<>();

	/**
	 * Creates a binder with its own strict mapper.
	 * @param validator the Bean Validation validator
	 */
	public JsonBinder(Validator validator) {
		this.validator = validator;
		this.mapper = StrictMappers.create();
	}

	/**
	 * Returns the mapper, also used to write data values.
	 * @return the strict mapper
	 */
	public JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Returns the validator.
	 * @return the validator
	 */
	public Validator validator() {
		return this.validator;
	}

	/**
	 * Binds and validates.
	 * @param node the JSON value
	 * @param type the target type
	 * @param path the path prefix of messages, e.g. {@code data}
	 * @return the value
	 * @throws EndpointException with every problem, each prefixed by its path
	 */
	public @Nullable Object bind(JsonNode node, Type type, String path) {
		return bind(node, type, path, null);
	}

	/**
	 * Binds and validates, also checking the constraints declared on a handler's body parameter.
	 * @param node the JSON value
	 * @param type the target type
	 * @param path the path prefix of messages
	 * @param parameter the body parameter whose constraints apply too, {@code null} for none
	 * @return the value
	 */
	@Nullable Object bind(JsonNode node, Type type, String path, @Nullable BodyParameter parameter) {
		Object value = read(node, type, path);
		Set<String> problems = new TreeSet<>();
		// A cascaded (@Valid) parameter validates the value itself: validating it here too would
		// report each violation twice.
		if (value != null && (parameter == null || !parameter.cascaded()) && isConstrained(value.getClass())) {
			for (ConstraintViolation<Object> violation : this.validator.validate(value)) {
				problems.add(message(path, violation));
			}
		}
		if (parameter != null) {
			Object[] arguments = new Object[parameter.method().getParameterCount()];
			arguments[parameter.index()] = value;
			for (ConstraintViolation<Object> violation : this.validator.forExecutables()
				.validateParameters(parameter.bean(), parameter.method(), arguments)) {
				// Other parameters are resolved later and are not the client's business.
				if (parameterIndex(violation.getPropertyPath()) == parameter.index()) {
					problems.add(message(path, violation));
				}
			}
		}
		if (!problems.isEmpty()) {
			throw new EndpointException(List.copyOf(problems));
		}
		return value;
	}

	/** Whether validating a value of the class can find anything: most bodies have no constraints. */
	private boolean isConstrained(Class<?> type) {
		return this.constrained.computeIfAbsent(type,
				(key) -> this.validator.getConstraintsForClass(key).isBeanConstrained());
	}

	/**
	 * Only binds, without validating.
	 * @param node the JSON value
	 * @param type the target type
	 * @param path the path prefix of messages
	 * @return the value
	 * @throws EndpointException when the JSON does not fit the type
	 */
	@Nullable Object read(JsonNode node, Type type, String path) {
		if (type == JsonNode.class) {
			return node;
		}
		ObjectReader reader = this.readers.computeIfAbsent(type,
				(key) -> this.mapper.readerFor(this.mapper.constructType(key)));
		try {
			return reader.readValue(node);
		}
		catch (InvalidDefinitionException ex) {
			// The target type cannot be bound at all: the application's mistake, not the client's.
			throw ex;
		}
		catch (JacksonException ex) {
			throw new EndpointException(describe(ex, path));
		}
	}

	private static String describe(JacksonException ex, String prefix) {
		StringBuilder path = new StringBuilder(prefix);
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
			else if (reference.getPropertyName() != null) {
				appendProperty(path, reference.getPropertyName());
			}
		}
		String problem;
		if (ex instanceof InvalidNullException || (ex instanceof MismatchedInputException mismatch
				&& mismatch.getTargetType() != null && mismatch.getTargetType().isPrimitive()
				&& isAbsent(mismatch.getCurrentToken()))) {
			// Also a primitive property that is absent: there is no value to give it.
			problem = "must not be null";
		}
		else if (ex instanceof MismatchedInputException mismatch) {
			Class<?> target = mismatch.getTargetType();
			List<JacksonException.Reference> references = ex.getPath();
			// A primitive array reports its own type for a bad element (the reference is into the
			// array it was building).
			if (target != null && target.isArray() && target.getComponentType().isPrimitive() && !references.isEmpty()
					&& target.isInstance(references.get(references.size() - 1).from())) {
				target = target.getComponentType();
			}
			problem = expected(target);
		}
		else if (ex instanceof InputCoercionException coercion) {
			problem = "is out of range for " + coercion.getTargetType().getSimpleName();
		}
		else {
			problem = "is invalid";
		}
		return path + ": " + problem;
	}

	/** Whether the parser was at no value: {@code null}, or the end of the object it was missing from. */
	private static boolean isAbsent(@Nullable JsonToken token) {
		return token == null || token == JsonToken.VALUE_NULL || token == JsonToken.END_OBJECT
				|| token == JsonToken.END_ARRAY;
	}

	/**
	 * Says what a value of a type must look like in JSON.
	 * @param type the type, {@code null} when unknown
	 * @return the message, e.g. {@code must be a string}
	 */
	static String expected(@Nullable Class<?> type) {
		if (type == null) {
			return "is invalid";
		}
		if (type == String.class || type == char.class || type == Character.class || type == CharSequence.class) {
			return "must be a string";
		}
		if (type == int.class || type == long.class || type == short.class || type == byte.class
				|| type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
				|| type == BigInteger.class) {
			return "must be an integer";
		}
		if (type == double.class || type == float.class || type == Double.class || type == Float.class
				|| type == BigDecimal.class || type == Number.class) {
			return "must be a number";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "must be a boolean";
		}
		if (type.isEnum()) {
			return "must be one of " + Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name())
				.collect(Collectors.joining(", ", "[", "]"));
		}
		if ((type.isArray() && type != byte[].class) || Collection.class.isAssignableFrom(type)
				|| ArrayNode.class.isAssignableFrom(type)) {
			return "must be an array";
		}
		if (type == LocalDate.class || type == YearMonth.class || type == Year.class || type == MonthDay.class) {
			return "must be an ISO-8601 date";
		}
		if (type == LocalTime.class || type == OffsetTime.class) {
			return "must be an ISO-8601 time";
		}
		if (type == Duration.class || type == Period.class) {
			return "must be an ISO-8601 duration";
		}
		if (Temporal.class.isAssignableFrom(type)) {
			return "must be an ISO-8601 date-time";
		}
		if (type == UUID.class) {
			return "must be a UUID";
		}
		if (Map.class.isAssignableFrom(type) || ObjectNode.class.isAssignableFrom(type) || type.isRecord()
				|| !type.getName().startsWith("java")) {
			return "must be an object";
		}
		return "is invalid";
	}

	private static String message(String prefix, ConstraintViolation<?> violation) {
		return path(prefix, violation.getPropertyPath()) + ": " + violation.getMessage();
	}

	/**
	 * Renders a Bean Validation path the way the client wrote the JSON: {@code data.items[0].name}.
	 * The method and parameter of executable validation and the names Hibernate Validator gives
	 * container elements ({@code <list element>}) are not part of the JSON.
	 */
	private static String path(String prefix, Path propertyPath) {
		StringBuilder path = new StringBuilder(prefix);
		for (Path.Node node : propertyPath) {
			if (node.isInIterable()) {
				Object key = (node.getIndex() != null) ? node.getIndex() : node.getKey();
				path.append('[').append((key != null) ? key : "").append(']');
			}
			ElementKind kind = node.getKind();
			if (kind == ElementKind.PROPERTY && node.getName() != null) {
				appendProperty(path, node.getName());
			}
		}
		return path.toString();
	}

	private static void appendProperty(StringBuilder path, String name) {
		if (!path.isEmpty()) {
			path.append('.');
		}
		path.append(name);
	}

	private static int parameterIndex(Path propertyPath) {
		for (Path.Node node : propertyPath) {
			if (node.getKind() == ElementKind.PARAMETER) {
				return node.as(Path.ParameterNode.class).getParameterIndex();
			}
		}
		return -1;
	}

	/**
	 * The body parameter of an annotated handler, whose own constraints ({@code @Email String},
	 * {@code @Valid Person}) are checked with the value's.
	 *
	 * @param bean the handler's bean
	 * @param method the handler method
	 * @param index the body parameter's index
	 * @param cascaded whether the parameter is {@code @Valid} (then it validates the value itself)
	 */
	record BodyParameter(Object bean, Method method, int index, boolean cascaded) {

	}

}
