package io.puraifi.enginecontrol.permission;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import io.puraifi.enginecontrol.budget.BudgetKind;
import io.puraifi.enginecontrol.budget.EngineBudgets;
import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.platform.PlatformStatus;
import io.puraifi.enginecontrol.propagation.RevisionWait;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;
import io.puraifi.enginecontrol.system.Problems;
import io.puraifi.enginecontrol.system.NoControlCharacters;
import io.puraifi.enginecontrol.system.Names;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

@RestController
class CheckController {

	/** Most checks in one batch request. */
	static final int MAX_BATCH = 100;

	/** The single check's path. */
	static final String CHECK_PATH = "/actions/check";

	/** The batch check's path. */
	static final String BATCH_PATH = "/actions/check/batch";

	private final PermissionService permissions;

	private final Validator validator;

	private final EngineBudgets budgets;

	CheckController(PermissionService permissions, Validator validator, EngineBudgets budgets) {
		this.permissions = permissions;
		this.validator = validator;
		this.budgets = budgets;
	}

	@Operation(operationId = "check", summary = "Check whether an engine may perform an action now", description = """
			A denial is still a 200: `allowed` is false and `reason` says why. `engine_id` defaults to \
			the caller; only the operator may ask about another engine.""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(examples = @ExampleObject(name = "send_email", value = """
							{"engine_id":"action","platform":"gmail","action_type":"send_email"}"""))))
	@ApiResponse(responseCode = "200", description = "The decision", content = @Content(
			schema = @Schema(implementation = CheckResponse.class),
			examples = { @ExampleObject(name = "allowed", value = """
					{"allowed":true,"reason":"ALLOWED","message":"Allowed","required_scopes":["mail.send"],\
					"engine_id":"action","platform":"gmail","action_type":"send_email",\
					"platform_status":"available","revision":7}"""), @ExampleObject(name = "quota_exceeded", value = """
					{"allowed":false,"reason":"QUOTA_EXCEEDED",\
					"message":"Quota 'mailer-email' is used up; a unit frees in 1312s",\
					"required_scopes":[],"engine_id":"action","platform":"gmail",\
					"action_type":"send_email","platform_status":"available","retry_after":1312,\
					"quota":"mailer-email","revision":9}"""), @ExampleObject(name = "shadow", value = """
					{"allowed":true,"reason":"ALLOWED","message":"Allowed","required_scopes":["mail.send"],\
					"engine_id":"action","platform":"gmail","action_type":"send_email",\
					"platform_status":"available","shadow":[{"rule":"quota:mailer-trial",\
					"reason":"QUOTA_EXCEEDED"}],"revision":9}"""), @ExampleObject(name = "maintenance", value = """
					{"allowed":false,"reason":"PLATFORM_MAINTENANCE",\
					"message":"Platform is in maintenance: Gmail API upgrade until 20:00 UTC",\
					"required_scopes":[],"engine_id":"action","platform":"gmail",\
					"action_type":"send_email","platform_status":"maintenance","revision":8}""") }))
	@ApiResponse(responseCode = "429", description = "Over the caller's checks budget; nothing was decided")
	@PostMapping(CHECK_PATH)
	CheckResponse check(AuthenticatedEngine caller, @RequestBody CheckRequest request) {
		return decide(caller, request);
	}

	/**
	 * A single check, from the caller's budget to the answer: what {@code POST
	 * /actions/check} does, whether Spring MVC read the body or {@link CheckFastPath}
	 * did.
	 * @throws ProblemException when the check is refused (budget, validation, a forbidden
	 * subject, the store)
	 */
	CheckResponse decide(AuthenticatedEngine caller, CheckRequest request) {
		this.budgets.charge(caller, BudgetKind.CHECKS, 1);
		requireValid(request);
		String engineId = (request.engineId() != null) ? request.engineId() : caller.engineId();
		PermissionService.RevisionedDecision result = this.permissions.check(caller, engineId, request.platform(),
				request.actionType(), request.minRevision());
		return response(engineId, request.platform(), request.actionType(), result);
	}

	/**
	 * Decides up to {@value #MAX_BATCH} checks, in request order. A malformed body, or
	 * one with no or too many checks, is refused whole; an invalid or forbidden item gets
	 * its own {@code error} and the others are decided.
	 */
	@Operation(operationId = "checkBatch", summary = "Check several actions in one request",
			description = "Decides up to " + MAX_BATCH
					+ " checks, in request order. A malformed body, or one with no or too many "
					+ "checks, is refused whole; an invalid or forbidden item gets its own `error` and the others "
					+ "are decided.")
	@ApiResponse(responseCode = "200", description = "One result per check, in request order")
	@ApiResponse(responseCode = "429",
			description = "The batch needs more of the caller's checks budget than is left; nothing was decided")
	@PostMapping(BATCH_PATH)
	BatchResponse checkBatch(AuthenticatedEngine caller, @Valid @RequestBody BatchRequest request) {
		this.budgets.charge(caller, BudgetKind.CHECKS, request.checks().size());
		List<BatchResult> results = new ArrayList<>(request.checks().size());
		long revision = -1;
		RevisionWait waited = this.permissions.awaitRevision(minRevisions(request.checks()));
		for (BatchItem item : request.checks()) {
			if (item == null) {
				this.permissions.recordRefused(caller, null, null, null, null, ProblemType.INVALID_REQUEST);
				results.add(BatchResult.failed(null, ProblemType.INVALID_REQUEST, "The check is null", List.of()));
				continue;
			}
			String engineId = (item.engineId() != null) ? item.engineId() : caller.engineId();
			List<Map<String, String>> errors = violations(item);
			if (!errors.isEmpty()) {
				this.permissions.recordRefused(caller, item.engineId(), item.platform(), item.actionType(),
						item.correlationId(), ProblemType.INVALID_REQUEST);
				results.add(BatchResult.failed(item.correlationId(), ProblemType.INVALID_REQUEST,
						"The check is invalid", errors));
				continue;
			}
			try {
				PermissionService.RevisionedDecision result = this.permissions.check(caller, engineId, item.platform(),
						item.actionType(), item.minRevision(), item.correlationId(), waited);
				revision = Math.max(revision, result.revision());
				results.add(new BatchResult(item.correlationId(),
						response(engineId, item.platform(), item.actionType(), result), null));
			}
			catch (ProblemException ex) {
				results.add(BatchResult.failed(item.correlationId(), ex.type(), ex.getMessage(), List.of()));
			}
		}
		return new BatchResponse(results, (revision >= 0) ? revision : this.permissions.revision());
	}

	/** The {@code min_revision} of each item that has a valid one. */
	private static List<Long> minRevisions(List<BatchItem> items) {
		List<Long> revisions = new ArrayList<>();
		for (BatchItem item : items) {
			if (item != null && item.minRevision() != null && item.minRevision() >= 0) {
				revisions.add(item.minRevision());
			}
		}
		return revisions;
	}

	/**
	 * Validates a single check's body against the constraints on {@link CheckRequest}, as
	 * {@code @Valid} would, but without calling the validator when the fields are well
	 * formed, as they are in nearly every check: the validator is costly on the check's
	 * hot path (see BENCHMARKS.md). The constraints stay the rule: an invalid body gets
	 * the validator's own errors, the same 400.
	 */
	private void requireValid(CheckRequest request) {
		if (request.isWellFormed()) {
			return;
		}
		List<Map<String, String>> errors = violations(request);
		if (!errors.isEmpty()) {
			throw new ProblemException(ProblemType.INVALID_REQUEST, "The request body is invalid",
					Map.of("errors", errors));
		}
	}

	private <T> List<Map<String, String>> violations(T item) {
		Set<ConstraintViolation<T>> violations = this.validator.validate(item);
		List<Map<String, String>> errors = new ArrayList<>();
		for (ConstraintViolation<T> violation : violations) {
			Map<String, String> error = new LinkedHashMap<>();
			error.put("field", Problems.snakeCase(violation.getPropertyPath().toString()));
			error.put("message", violation.getMessage());
			errors.add(error);
		}
		errors.sort(Comparator.comparing((Map<String, String> error) -> error.get("field"))
			.thenComparing((error) -> error.get("message")));
		return errors;
	}

	private static CheckResponse response(String engineId, String platform, String actionType,
			PermissionService.RevisionedDecision result) {
		Decision decision = result.decision();
		Instant staleSince = result.staleSince();
		Object retryAfter = (decision.quotaRetryAfterSeconds() != null) ? decision.quotaRetryAfterSeconds()
				: decision.retryAfter();
		return new CheckResponse(decision.allowed(), decision.reason(), decision.message(), decision.requiredScopes(),
				engineId, platform, actionType, decision.platformStatus(), decision.flag(), retryAfter,
				decision.quota(), decision.quotaRemaining(), decision.shadow().isEmpty() ? null : decision.shadow(),
				result.revision(), (staleSince != null) ? Boolean.TRUE : null, staleSince);
	}

	record CheckRequest(@Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId,
			@NotNull @Pattern(regexp = Names.NAME, message = Names.NAME_RULE) String platform,
			@NotNull @Pattern(regexp = Names.NAME, message = Names.NAME_RULE) String actionType,
			@PositiveOrZero Long minRevision) {

		/**
		 * Whether every field meets its constraint, checked by hand. Never true for a
		 * body the constraints refuse ({@code CheckRequestTests} compares the two).
		 */
		boolean isWellFormed() {
			return (this.engineId == null || isName(this.engineId, 2, true)) && isName(this.platform, 1, false)
					&& isName(this.actionType, 1, false) && (this.minRevision == null || this.minRevision >= 0);
		}

		/**
		 * Whether a name follows {@link Names#NAME} ({@code min} 1), or with {@code dash}
		 * set and {@code min} 2, {@link Names#ENGINE_ID}.
		 */
		private static boolean isName(String name, int min, boolean dash) {
			if (name == null) {
				return false;
			}
			int length = name.length();
			if (length < min || length > 64 || name.charAt(0) < 'a' || name.charAt(0) > 'z') {
				return false;
			}
			for (int i = 1; i < length; i++) {
				char c = name.charAt(i);
				if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (dash && c == '-'))) {
					return false;
				}
			}
			return true;
		}

	}

	/**
	 * A check's answer. {@code stale} and {@code stale_since} appear only while the store
	 * cannot be reached: the decision was made from the state the store last confirmed,
	 * at {@code stale_since}. {@code retry_after} is, like HTTP's Retry-After, either a
	 * time or a number of seconds: the end of a scheduled maintenance (a timestamp) for
	 * {@code PLATFORM_MAINTENANCE}, the seconds until the quota's full window ends (an
	 * integer) for {@code QUOTA_EXCEEDED}.
	 */
	record CheckResponse(boolean allowed, DecisionReason reason, String message, List<String> requiredScopes,
			String engineId, String platform, String actionType, PlatformStatus platformStatus, String flag,
			@Schema(description = "PLATFORM_MAINTENANCE: when the scheduled maintenance ends (date-time); "
					+ "QUOTA_EXCEEDED: seconds until the quota's full window ends (integer)",
					// anyOf, integer first: with oneOf, a generated client refused every
					// quota denial, since its date-time type also reads an integer.
					anyOf = {
							Long.class, Instant.class }) Object retryAfter,
			@Schema(description = "The quota rule that denied the check") String quota,
			@Schema(description = "Allowed under an enforcing quota rule: the smallest count still allowed "
					+ "over its limits, as this replica knows it") Long quotaRemaining,
			@Schema(description = "Rules in shadow mode that would have denied this otherwise allowed check; "
					+ "they did not") List<Decision.ShadowDenial> shadow,
			long revision, Boolean stale, Instant staleSince){
	}

	record BatchRequest(@NotNull @Size(min = 1, max = MAX_BATCH) List<BatchItem> checks) {
	}

	record BatchItem(@Size(max = 128) @NoControlCharacters String correlationId,
			@Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId,
			@NotNull @Pattern(regexp = Names.NAME, message = Names.NAME_RULE) String platform,
			@NotNull @Pattern(regexp = Names.NAME, message = Names.NAME_RULE) String actionType,
			@PositiveOrZero Long minRevision) {
	}

	/**
	 * One item's answer: the caller's correlation id, then either the fields of a single
	 * check's answer or an {@code error}.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record BatchResult(String correlationId, @JsonUnwrapped CheckResponse check, BatchError error) {

		static BatchResult failed(String correlationId, ProblemType type, String detail,
				List<Map<String, String>> errors) {
			return new BatchResult(correlationId, null, new BatchError(type.type().toString(), type.title(),
					type.status().value(), detail, errors.isEmpty() ? null : errors));
		}

	}

	/**
	 * Why one item of a batch was not decided, shaped like a problem detail.
	 */
	record BatchError(String type, String title, int status, String detail, List<Map<String, String>> errors) {
	}

	record BatchResponse(List<BatchResult> results, long revision) {
	}

}
