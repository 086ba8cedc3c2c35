package io.puraifi.enginecontrol.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * A text that is stored or logged holds no C0 control character (U+0000 to U+001F): a
 * store may refuse it (PostgreSQL refuses NUL in text) and a log reader may be misled by
 * it. Free text, such as a description or a message, may hold tab, CR and LF; names and
 * ids hold none. Null is valid.
 */
@Documented
@Constraint(validatedBy = NoControlCharacters.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface NoControlCharacters {

	/** Whether tab, CR and LF are allowed: free text, not a name or an id. */
	boolean freeText() default false;

	String message() default "must not contain control characters";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/**
	 * Checks a text against the rule, for the constraint and for code that walks nested
	 * values itself (event attributes).
	 */
	class Validator implements ConstraintValidator<NoControlCharacters, CharSequence> {

		private boolean freeText;

		@Override
		public void initialize(NoControlCharacters annotation) {
			this.freeText = annotation.freeText();
		}

		@Override
		public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
			String violation = violation(value, this.freeText);
			if (violation == null) {
				return true;
			}
			context.disableDefaultConstraintViolation();
			context.buildConstraintViolationWithTemplate(violation).addConstraintViolation();
			return false;
		}

		/**
		 * What is wrong with a text, safe to echo: it names the first refused character's
		 * code and position, never the character.
		 * @param text the text, may be null
		 * @param freeText whether tab, CR and LF are allowed
		 * @return the message, or null when the text is valid
		 */
		public static String violation(CharSequence text, boolean freeText) {
			if (text == null) {
				return null;
			}
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (c < 0x20 && !(freeText && (c == '\t' || c == '\n' || c == '\r'))) {
					return String.format("must not contain control characters%s; found U+%04X at index %d",
							freeText ? " other than tab, CR and LF" : "", (int) c, i);
				}
			}
			return null;
		}

	}

}
