package io.puraifi.enginecontrol.eventlog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.puraifi.enginecontrol.system.EngineControlProperties;
import io.puraifi.enginecontrol.system.NoControlCharacters;
import io.puraifi.enginecontrol.system.Names;

/**
 * The shape and size limits of an engine event, checked before anything is stored. Pure:
 * no Spring, no I/O. Attributes are bounded in entries (map keys and list items, nested
 * ones included), in nesting depth (a flat map is depth 1) and in the length of every key
 * and string value.
 */
final class EventBounds {

	static final int MAX_KEY_LENGTH = 64;

	/** The attributes column holds at most this many characters of JSON. */
	static final int MAX_ATTRIBUTES_JSON = 65_536;

	private static final int MAX_ERRORS = 20;

	private final int maxMessageLength;

	private final int maxAttributes;

	private final int maxDepth;

	private final int maxValueLength;

	EventBounds(int maxMessageLength, int maxAttributes, int maxDepth, int maxValueLength) {
		this.maxMessageLength = maxMessageLength;
		this.maxAttributes = maxAttributes;
		this.maxDepth = maxDepth;
		this.maxValueLength = maxValueLength;
	}

	static EventBounds of(EngineControlProperties.Events events) {
		return new EventBounds(events.maxMessageLength(), events.maxAttributes(), events.maxAttributeDepth(),
				events.maxAttributeValueLength());
	}

	/**
	 * The violations of one event.
	 * @param prefix prepended to every field name, e.g. {@code events[3].}
	 * @param event the event
	 * @return one {@code field}/{@code message} entry per violation, empty when valid
	 */
	List<Map<String, String>> violations(String prefix, EventLog.NewEvent event) {
		List<Map<String, String>> errors = new ArrayList<>();
		if (event.level() == null) {
			add(errors, prefix + "level", "must not be null");
		}
		if (event.eventType() == null) {
			add(errors, prefix + "event_type", "must not be null");
		}
		else if (!Names.isEventType(event.eventType())) {
			add(errors, prefix + "event_type", Names.EVENT_TYPE_RULE);
		}
		if (event.message() != null && event.message().length() > this.maxMessageLength) {
			add(errors, prefix + "message", "must be at most " + this.maxMessageLength + " characters");
		}
		addIfPresent(errors, prefix + "message", NoControlCharacters.Validator.violation(event.message(), true));
		if (event.attributes() != null) {
			int entries = walk(errors, prefix + "attributes", event.attributes(), 1);
			if (entries > this.maxAttributes) {
				add(errors, prefix + "attributes", "must have at most " + this.maxAttributes
						+ " entries (keys and list items, nested ones included); has " + entries);
			}
		}
		return errors;
	}

	/**
	 * The violation of attributes that serialise to too much JSON, if they do.
	 * @param prefix prepended to the field name
	 * @param jsonLength the length of the attributes as JSON
	 * @return the violation, or empty
	 */
	List<Map<String, String>> jsonViolations(String prefix, int jsonLength) {
		List<Map<String, String>> errors = new ArrayList<>();
		if (jsonLength > MAX_ATTRIBUTES_JSON) {
			add(errors, prefix + "attributes", "must be at most " + MAX_ATTRIBUTES_JSON + " characters as JSON");
		}
		return errors;
	}

	private int walk(List<Map<String, String>> errors, String path, Object value, int depth) {
		if (value instanceof Map<?, ?> map) {
			if (depth > this.maxDepth) {
				add(errors, path, "nests deeper than " + this.maxDepth + " levels");
				return map.size();
			}
			int entries = map.size();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				String key = String.valueOf(entry.getKey());
				if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
					add(errors, path, "keys must be 1 to " + MAX_KEY_LENGTH + " characters");
				}
				String refused = NoControlCharacters.Validator.violation(key, false);
				if (refused != null) {
					add(errors, path, "keys " + refused);
					continue;
				}
				entries += walk(errors, path + "." + shorten(key), entry.getValue(), depth + 1);
			}
			return entries;
		}
		if (value instanceof Collection<?> list) {
			if (depth > this.maxDepth) {
				add(errors, path, "nests deeper than " + this.maxDepth + " levels");
				return list.size();
			}
			int entries = list.size();
			int index = 0;
			for (Object item : list) {
				entries += walk(errors, path + "[" + index++ + "]", item, depth + 1);
			}
			return entries;
		}
		if (value instanceof String string) {
			if (string.length() > this.maxValueLength) {
				add(errors, path, "string values must be at most " + this.maxValueLength + " characters");
			}
			addIfPresent(errors, path, NoControlCharacters.Validator.violation(string, true));
		}
		return 0;
	}

	private static String shorten(String key) {
		return (key.length() <= MAX_KEY_LENGTH) ? key : key.substring(0, MAX_KEY_LENGTH) + "...";
	}

	private static void addIfPresent(List<Map<String, String>> errors, String field, String message) {
		if (message != null) {
			add(errors, field, message);
		}
	}

	private static void add(List<Map<String, String>> errors, String field, String message) {
		if (errors.size() < MAX_ERRORS) {
			Map<String, String> error = new LinkedHashMap<>();
			error.put("field", field);
			error.put("message", message);
			errors.add(error);
		}
	}

}
