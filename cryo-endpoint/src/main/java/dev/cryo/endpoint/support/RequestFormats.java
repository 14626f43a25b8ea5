package dev.cryo.endpoint.support;

import java.io.File;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Currency;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.validation.Constraint;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.Assert;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.cryo.endpoint.Hostname;

/**
 * Describes a request type in yoctopus's format vocabulary, for the {@code api} plugin's listing:
 * {@code "string"}, {@code "number"}, {@code "bool"}, {@code "array"}, {@code "object"} (a map,
 * a {@code JsonNode}, {@code Object}), {@code "email"} (a string with {@code @Email}),
 * {@code "hostname"} (a string with {@link Hostname @Hostname}), {@code "date"} ({@code java.time}
 * values, {@link Date}), a union as the array of an enum's constants as Jackson writes them, and
 * a record or JavaBean as an object of its properties (named as Jackson names them) to their
 * formats. A property (or type) with more to say is described as
 * {@code {"type":<format>,"required":true,"custom":["Size"]}}: {@code required} for
 * {@code @NotNull}, {@code @NotBlank} and {@code @NotEmpty}, {@code custom} for any other
 * constraint, by its annotation's simple name. A type that contains itself is {@code "object"}
 * where it recurs.
 */
public final class RequestFormats {

	private static final Log logger = LogFactory.getLog(RequestFormats.class);

	/** Types Jackson writes as strings (with their subtypes). */
	private static final List<Class<?>> STRING_TYPES = List.of(CharSequence.class, Character.class, char.class,
			UUID.class, URI.class, URL.class, Locale.class, Currency.class, InetAddress.class, InetSocketAddress.class,
			byte[].class, Class.class, Duration.class, Period.class, ZoneId.class, TimeZone.class,
			java.util.regex.Pattern.class, File.class, Path.class, Charset.class);

	private final JsonMapper mapper;

	private final JsonNodeFactory nodes;

	private final Map<Type, JsonNode> described = new ConcurrentHashMap<>();

	/**
	 * Creates the describer.
	 * @param mapper the mapper that binds requests, whose naming of properties and enum constants
	 * the descriptions follow
	 */
	public RequestFormats(JsonMapper mapper) {
		Assert.notNull(mapper, "'mapper' must not be null");
		this.mapper = mapper;
		this.nodes = mapper.getNodeFactory();
	}

	/**
	 * Describes a request type.
	 * @param type the type the request's data is bound to; {@code null} when the method takes no
	 * data
	 * @return the description; JSON {@code null} for no data. Shared: do not modify it.
	 */
	public JsonNode describe(@Nullable Type type) {
		if (type == null) {
			return this.nodes.nullNode();
		}
		return this.described.computeIfAbsent(type,
				(key) -> describe(this.mapper.constructType(key), List.of(), new HashSet<>()));
	}

	private JsonNode describe(JavaType type, List<Annotation> annotations, Set<Class<?>> enclosing) {
		Set<Class<? extends Annotation>> seen = new HashSet<>();
		List<Annotation> constraints = new ArrayList<>();
		collectConstraints(annotations, seen, constraints);
		boolean bean = isBean(type);
		if (bean) {
			collectConstraints(List.of(type.getRawClass().getAnnotations()), seen, constraints);
		}
		String format = null;
		boolean required = false;
		Set<String> custom = new LinkedHashSet<>();
		for (Annotation constraint : constraints) {
			Class<? extends Annotation> annotationType = constraint.annotationType();
			if (annotationType == Email.class) {
				format = "email";
			}
			else if (annotationType == Hostname.class) {
				format = "hostname";
			}
			else if (annotationType == NotNull.class || annotationType == NotBlank.class
					|| annotationType == NotEmpty.class) {
				required = true;
			}
			else {
				custom.add(annotationType.getSimpleName());
			}
		}
		JsonNode base = (format != null) ? this.nodes.stringNode(format) : baseFormat(type, enclosing, bean);
		if (!required && custom.isEmpty()) {
			return base;
		}
		ObjectNode described = this.nodes.objectNode();
		described.set("type", base);
		if (required) {
			described.put("required", true);
		}
		if (!custom.isEmpty()) {
			ArrayNode names = described.putArray("custom");
			custom.forEach(names::add);
		}
		return described;
	}

	private JsonNode baseFormat(JavaType type, Set<Class<?>> enclosing, boolean bean) {
		Class<?> raw = type.getRawClass();
		if (type.isReferenceType()) {
			// Optional<T> and the like: the value is T or absent.
			return describe(type.getReferencedType(), List.of(), enclosing);
		}
		if (type.isEnumType()) {
			return union(raw);
		}
		if (bean) {
			return properties(type, enclosing);
		}
		return this.nodes.stringNode(scalarFormat(type));
	}

	private String scalarFormat(JavaType type) {
		Class<?> raw = type.getRawClass();
		if (STRING_TYPES.stream().anyMatch((stringType) -> stringType.isAssignableFrom(raw))) {
			return "string";
		}
		if (raw == boolean.class || raw == Boolean.class) {
			return "bool";
		}
		if ((raw.isPrimitive() && raw != void.class) || Number.class.isAssignableFrom(raw) || raw == OptionalInt.class
				|| raw == OptionalLong.class || raw == OptionalDouble.class) {
			return "number";
		}
		if (TemporalAccessor.class.isAssignableFrom(raw) || Date.class.isAssignableFrom(raw)
				|| Calendar.class.isAssignableFrom(raw)) {
			return "date";
		}
		if (type.isArrayType() || type.isCollectionLikeType()) {
			return "array";
		}
		return "object";
	}

	/**
	 * Returns whether a type is described by its properties: a record or JavaBean of the
	 * application, not a JDK type, a container, a JSON tree or an enum.
	 */
	private boolean isBean(JavaType type) {
		Class<?> raw = type.getRawClass();
		return !(raw.isPrimitive() || raw.isArray() || raw.isEnum() || raw.isInterface() || type.isContainerType()
				|| type.isReferenceType() || JsonNode.class.isAssignableFrom(raw) || raw.getName().startsWith("java."));
	}

	private JsonNode union(Class<?> enumType) {
		ArrayNode constants = this.nodes.arrayNode();
		for (Object constant : enumType.getEnumConstants()) {
			// As Jackson writes it (@JsonProperty / @JsonValue), that being what the binder accepts.
			JsonNode written = this.mapper.valueToTree(constant);
			constants.add(written.isString() ? written.asString() : ((Enum<?>) constant).name());
		}
		return constants;
	}

	private JsonNode properties(JavaType type, Set<Class<?>> enclosing) {
		Class<?> raw = type.getRawClass();
		if (!enclosing.add(raw)) {
			return this.nodes.stringNode("object");
		}
		try {
			// The deserialization view, as the binder sees the type (creator parameters, setters,
			// renames); Jackson 3 exposes it through the context, public despite its name.
			BeanDescription description = this.mapper._deserializationContext().introspectBeanDescription(type);
			Map<String, JsonNode> properties = new LinkedHashMap<>();
			for (BeanPropertyDefinition property : description.findProperties()) {
				if (property.couldDeserialize()) {
					properties.put(property.getName(),
							describe(property.getPrimaryType(), annotationsOf(property), enclosing));
				}
			}
			ObjectNode result = this.nodes.objectNode();
			properties.forEach(result::set);
			return result;
		}
		catch (JacksonException ex) {
			// A type Jackson cannot introspect fails its requests anyway; the listing stays whole.
			if (logger.isDebugEnabled()) {
				logger.debug("Request type " + raw.getName() + " could not be introspected", ex);
			}
			return this.nodes.stringNode("object");
		}
		finally {
			enclosing.remove(raw);
		}
	}

	private static List<Annotation> annotationsOf(BeanPropertyDefinition property) {
		List<Annotation> annotations = new ArrayList<>();
		// Jackson merges a record component's or bean property's annotations per member; a
		// constraint may sit on any of them.
		for (AnnotatedMember member : new AnnotatedMember[] { property.getField(), property.getGetter(),
				property.getSetter(), property.getConstructorParameter() }) {
			if (member != null) {
				member.annotations().forEach(annotations::add);
			}
		}
		return annotations;
	}

	private static void collectConstraints(List<Annotation> annotations, Set<Class<? extends Annotation>> seen,
			List<Annotation> constraints) {
		for (Annotation annotation : annotations) {
			Class<? extends Annotation> annotationType = annotation.annotationType();
			if (annotationType.isAnnotationPresent(Constraint.class)) {
				if (seen.add(annotationType)) {
					constraints.add(annotation);
				}
			}
			else {
				Annotation[] repeated = repeatedConstraints(annotation);
				if (repeated.length > 0) {
					collectConstraints(List.of(repeated), seen, constraints);
				}
			}
		}
	}

	/** The constraints of a container of repeated constraints, e.g. {@code @Pattern.List}. */
	private static Annotation[] repeatedConstraints(Annotation annotation) {
		try {
			Method value = annotation.annotationType().getMethod("value");
			Class<?> returned = value.getReturnType();
			if (returned.isArray() && returned.getComponentType().isAnnotationPresent(Constraint.class)) {
				return (Annotation[]) value.invoke(annotation);
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// Not a container of constraints.
		}
		return new Annotation[0];
	}

}
