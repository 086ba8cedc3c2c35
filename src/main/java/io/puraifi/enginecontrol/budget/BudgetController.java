package io.puraifi.enginecontrol.budget;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import io.puraifi.enginecontrol.system.EngineControlProperties.Budgets;
import io.puraifi.enginecontrol.system.Names;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class BudgetController {

	private final EngineBudgets budgets;

	BudgetController(EngineBudgets budgets) {
		this.budgets = budgets;
	}

	@Operation(operationId = "getEngineBudget", summary = "Show an engine's request budget", description = """
			The rates and bursts in force for the engine on each replica, which of them the operator \
			overrode, whether the budget is enforced (not for the operator, who is exempt), and the tokens \
			the engine has left now on the replica that answers (`available`, per budget).""")
	@GetMapping("/admin/engines/{engineId}/budget")
	BudgetResponse show(
			@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId) {
		return BudgetResponse.of(this.budgets.find(engineId));
	}

	@Operation(operationId = "setEngineBudget", summary = "Override an engine's request budget", description = """
			Replaces any earlier override whole: a field left out takes the configured default. Every \
			replica applies it within the propagation bound; the engine's buckets start again full.""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(examples = @ExampleObject(name = "slow_checks", value = """
							{"checks_per_second":20,"checks_burst":40}"""))))
	@ApiResponse(responseCode = "200", description = "The budget now in force")
	@ApiResponse(responseCode = "409", description = "The operator is exempt from budgets")
	@PutMapping("/admin/engines/{engineId}/budget")
	BudgetResponse set(@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId,
			@Valid @RequestBody BudgetRequest request) {
		return BudgetResponse.of(this.budgets.set(engineId, request.settings()));
	}

	@Operation(operationId = "resetEngineBudget", summary = "Return an engine to the default request budget")
	@ApiResponse(responseCode = "204", description = "The defaults apply again")
	@DeleteMapping("/admin/engines/{engineId}/budget")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void reset(@PathVariable @Pattern(regexp = Names.ENGINE_ID, message = Names.ENGINE_ID_RULE) String engineId) {
		this.budgets.reset(engineId);
	}

	record BudgetRequest(@Min(1) @Max(Budgets.MAX_RATE) Integer checksPerSecond,
			@Min(1) @Max(Budgets.MAX_BURST) Integer checksBurst, @Min(1) @Max(Budgets.MAX_RATE) Integer eventsPerSecond,
			@Min(1) @Max(Budgets.MAX_BURST) Integer eventsBurst,
			@Min(1) @Max(Budgets.MAX_RATE) Integer validatePerSecond,
			@Min(1) @Max(Budgets.MAX_BURST) Integer validateBurst) {

		BudgetSettings settings() {
			return new BudgetSettings(this.checksPerSecond, this.checksBurst, this.eventsPerSecond, this.eventsBurst,
					this.validatePerSecond, this.validateBurst);
		}

	}

	/**
	 * An engine's budget: the numbers in force, which of them the operator set, and the
	 * tokens left now on the replica that answers ({@code available}, by budget).
	 */
	record BudgetResponse(String engineId, boolean enforced, int checksPerSecond, int checksBurst, int eventsPerSecond,
			int eventsBurst, int validatePerSecond, int validateBurst, List<String> overridden, Instant updatedAt,
			Map<String, Long> available) {

		static BudgetResponse of(EngineBudgets.View view) {
			Budget budget = view.budget();
			BudgetOverride override = view.override();
			Map<String, Long> available = new LinkedHashMap<>();
			view.available().forEach((kind, tokens) -> available.put(kind.label(), tokens));
			return new BudgetResponse(view.engineId(), view.enforced(), budget.checks().perSecond(),
					budget.checks().burst(), budget.events().perSecond(), budget.events().burst(),
					budget.validate().perSecond(), budget.validate().burst(),
					(override != null) ? override.settings().overridden() : List.of(),
					(override != null) ? override.updatedAt() : null, available);
		}

	}

}
