package io.puraifi.enginecontrol.quota;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.Pattern;

import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.system.Names;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;

@RestController
class QuotaController {

	private final QuotaRules rules;

	private final Clock clock;

	QuotaController(QuotaRules rules, Clock clock) {
		this.rules = rules;
		this.clock = clock;
	}

	@Operation(operationId = "putQuota", summary = "Create or replace a quota rule", description = """
			At most `max` allowed checks of the action per fixed UTC window of each limit. Without \
			`engine_id` the rule counts every engine on its own; `action_type` `*` covers every action of \
			the platform. `mode` `shadow` never denies: it reports the checks it would have denied. Every \
			replica applies the rule within the propagation bound and gives back the units it held under \
			the rule's earlier version.""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(examples = @ExampleObject(name = "mailer", value = """
							{"engine_id":"mailer","platform":"gmail","action_type":"send_email",\
							"limits":[{"max":100,"per":"PT1H"},{"max":1000,"per":"P1D"}],"mode":"enforce"}"""))))
	@ApiResponse(responseCode = "200", description = "The rule now in force")
	@ApiResponse(responseCode = "422", description = "The catalog has no such platform or action")
	@PutMapping("/admin/quotas/{name}")
	RuleResponse put(@PathVariable @Pattern(regexp = Names.SETTING_NAME, message = Names.SETTING_NAME_RULE) String name,
			@RequestBody QuotaRuleInput request) {
		return RuleResponse.of(this.rules.put(name, request), null);
	}

	@Operation(operationId = "listQuotas", summary = "List the quota rules")
	@GetMapping("/admin/quotas")
	RuleListResponse list() {
		return new RuleListResponse(this.rules.list().stream().map((rule) -> RuleResponse.of(rule, null)).toList());
	}

	@Operation(operationId = "getQuota", summary = "Show a quota rule with its usage in the current windows",
			description = """
					`usage` has one counter per engine and limit that leased units in the current window: \
					`leased` is what replicas leased from the store, the checks allowed plus the units they hold \
					unspent (given back after 1 s idle), so `remaining` is a lower bound.""")
	@GetMapping("/admin/quotas/{name}")
	RuleResponse show(
			@PathVariable @Pattern(regexp = Names.SETTING_NAME, message = Names.SETTING_NAME_RULE) String name) {
		QuotaRules.RuleUsage found = this.rules.find(name);
		List<UsageResponse> usage = new ArrayList<>();
		for (QuotaUsage counter : found.usage()) {
			QuotaLimit limit = limitOf(found.rule(), counter);
			long max = (limit != null) ? limit.max() : counter.leased();
			usage.add(new UsageResponse(counter.engineId(), perText(counter), max, counter.leased(),
					Math.max(0, max - counter.leased()), counter.windowStart(), counter.windowEnd()));
		}
		return RuleResponse.of(found.rule(), usage);
	}

	@Operation(operationId = "deleteQuota", summary = "Delete a quota rule", description = """
			Counters of the current windows stay until their windows end: a rule created again under \
			the same name within a window keeps counting.""")
	@ApiResponse(responseCode = "204", description = "The rule is gone")
	@DeleteMapping("/admin/quotas/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable @Pattern(regexp = Names.SETTING_NAME, message = Names.SETTING_NAME_RULE) String name) {
		this.rules.delete(name);
	}

	@Operation(operationId = "listOwnQuotas", summary = "Show the quotas that count the calling engine's checks",
			description = """
					The rules naming the engine and those of every engine, with what is left of each limit in \
					its current window for this engine; never another engine's rules or counts. `remaining` is \
					`max` minus the units leased by every replica plus those this replica holds unspent: exact \
					with one replica, a lower bound with several.""")
	@GetMapping("/quotas")
	EngineQuotasResponse own(AuthenticatedEngine caller) {
		String engineId = caller.engineId();
		List<EngineQuotaResponse> quotas = new ArrayList<>();
		for (QuotaRules.RuleUsage found : this.rules.forEngine(engineId)) {
			QuotaRule rule = found.rule();
			List<EngineLimitResponse> limits = new ArrayList<>();
			for (QuotaLimit limit : rule.limits()) {
				QuotaUsage counter = found.usage()
					.stream()
					.filter((usage) -> usage.per().equals(limit.per()))
					.findFirst()
					.orElse(null);
				long leased = (counter != null) ? counter.leased() : 0;
				long remaining = Math.min(limit.max(),
						Math.max(0, limit.max() - leased + this.rules.held(rule, engineId, limit)));
				Instant windowEnd = QuotaWindow.of(this.clock.instant(), limit.per()).end();
				limits.add(new EngineLimitResponse(limit.max(), limit.perText(), remaining,
						(counter != null) ? counter.windowEnd() : windowEnd));
			}
			quotas.add(new EngineQuotaResponse(rule.name(), rule.engineId(), rule.platform(), rule.actionType(),
					rule.mode().value(), limits));
		}
		return new EngineQuotasResponse(engineId, quotas);
	}

	private static QuotaLimit limitOf(QuotaRule rule, QuotaUsage counter) {
		for (QuotaLimit limit : rule.limits()) {
			if (limit.per().equals(counter.per())) {
				return limit;
			}
		}
		return null;
	}

	private static String perText(QuotaUsage counter) {
		return new QuotaLimit(1, counter.per()).perText();
	}

	record LimitResponse(long max, String per) {
	}

	record RuleResponse(String name, String engineId, String platform, String actionType, List<LimitResponse> limits,
			String mode, @JsonInclude(JsonInclude.Include.NON_NULL) List<UsageResponse> usage) {

		static RuleResponse of(QuotaRule rule, List<UsageResponse> usage) {
			return new RuleResponse(rule.name(), rule.engineId(), rule.platform(), rule.actionType(),
					rule.limits().stream().map((limit) -> new LimitResponse(limit.max(), limit.perText())).toList(),
					rule.mode().value(), usage);
		}

	}

	record UsageResponse(String engineId, String per, long max, long leased, long remaining, Instant windowStart,
			Instant windowEnd) {
	}

	record RuleListResponse(List<RuleResponse> quotas) {
	}

	record EngineLimitResponse(long max, String per, long remaining, Instant windowEnd) {
	}

	record EngineQuotaResponse(String name, String engineId, String platform, String actionType, String mode,
			List<EngineLimitResponse> limits) {
	}

	record EngineQuotasResponse(String engineId, List<EngineQuotaResponse> quotas) {
	}

}
