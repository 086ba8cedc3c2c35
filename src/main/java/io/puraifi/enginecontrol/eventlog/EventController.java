package io.puraifi.enginecontrol.eventlog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.puraifi.enginecontrol.budget.BudgetKind;
import io.puraifi.enginecontrol.budget.EngineBudgets;
import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.system.ProblemException;
import io.puraifi.enginecontrol.system.ProblemType;
import io.puraifi.enginecontrol.system.RequestIdFilter;
import io.puraifi.enginecontrol.system.NoControlCharacters;
import io.puraifi.enginecontrol.system.Names;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EventController {

	/** Most events in one batch request. */
	static final int MAX_BATCH = 500;

	private final EventLog eventLog;

	private final EngineBudgets budgets;

	EventController(EventLog eventLog, EngineBudgets budgets) {
		this.eventLog = eventLog;
		this.budgets = budgets;
	}

	@Operation(operationId = "logEvent", summary = "Submit an engine event",
			description = "The sender is the authenticated engine. The event is stored before the 202.")
	@ApiResponse(responseCode = "429", description = "Over the caller's events budget; nothing was stored")
	@PostMapping("/log/engine_event")
	@ResponseStatus(HttpStatus.ACCEPTED)
	EventResponse submit(AuthenticatedEngine caller, @Valid @RequestBody EventRequest request,
			HttpServletRequest servletRequest) {
		this.budgets.charge(caller, BudgetKind.EVENTS, 1);
		EngineEvent event = this.eventLog.record(caller.engineId(), requestId(servletRequest), request.level(),
				request.eventType(), request.message(), request.attributes(), request.occurredAt());
		return new EventResponse(event.eventId(), event.receivedAt());
	}

	/**
	 * Stores up to {@value #MAX_BATCH} events in one transaction, then answers with their
	 * ids in request order. One invalid event refuses the whole batch.
	 */
	@Operation(operationId = "logEvents", summary = "Submit several engine events at once",
			description = "Stores up to " + MAX_BATCH
					+ " events in one transaction and answers with their ids in request order. "
					+ "One invalid event refuses the whole batch.")
	@ApiResponse(responseCode = "429",
			description = "The batch needs more of the caller's events budget than is left; nothing was stored")
	@PostMapping("/log/engine_events")
	@ResponseStatus(HttpStatus.ACCEPTED)
	EventBatchResponse submitAll(AuthenticatedEngine caller, @Valid @RequestBody EventBatchRequest request,
			HttpServletRequest servletRequest) {
		this.budgets.charge(caller, BudgetKind.EVENTS, request.events().size());
		List<EventLog.NewEvent> batch = request.events()
			.stream()
			.map((event) -> (event != null) ? new EventLog.NewEvent(event.level(), event.eventType(), event.message(),
					event.attributes(), event.occurredAt()) : new EventLog.NewEvent(null, null, null, null, null))
			.toList();
		List<EngineEvent> stored = this.eventLog.recordAll(caller.engineId(), requestId(servletRequest), batch);
		return new EventBatchResponse(stored.stream().map(EngineEvent::eventId).toList(),
				stored.isEmpty() ? null : stored.get(0).receivedAt());
	}

	@Operation(operationId = "listEvents", summary = "List the engines' events, a page at a time")
	@GetMapping("/admin/events")
	EventPage list(
			@RequestParam(name = "engine_id", required = false) @Pattern(regexp = Names.ENGINE_ID,
					message = Names.ENGINE_ID_RULE) String engineId,
			@RequestParam(required = false) @Pattern(regexp = "^(debug|info|warn|error)$") String level,
			@RequestParam(name = "event_type", required = false) @Pattern(regexp = Names.EVENT_TYPE,
					message = Names.EVENT_TYPE_RULE) String eventType,
			@RequestParam(required = false) Instant since, @RequestParam(required = false) Instant until,
			@RequestParam(required = false) @Size(max = 200) @NoControlCharacters String cursor,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
		EventLevel eventLevel = (level != null) ? EventLevel.valueOf(level.toUpperCase(java.util.Locale.ROOT)) : null;
		List<EngineEvent> events = this.eventLog.find(new EventRepository.EventQuery(engineId, eventLevel, eventType,
				since, until, (cursor != null) ? decode(cursor) : null, limit));
		String next = (events.size() == limit) ? encode(events.get(events.size() - 1)) : null;
		return new EventPage(events.stream().map(EventView::of).toList(), next);
	}

	private static String requestId(HttpServletRequest request) {
		return (String) request.getAttribute(RequestIdFilter.ATTRIBUTE);
	}

	static String encode(EngineEvent last) {
		String position = last.receivedAt() + "|" + last.eventId();
		return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
	}

	static EventRepository.Cursor decode(String cursor) {
		try {
			String position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			int bar = position.indexOf('|');
			return new EventRepository.Cursor(Instant.parse(position.substring(0, bar)), position.substring(bar + 1));
		}
		catch (IllegalArgumentException | DateTimeParseException | StringIndexOutOfBoundsException ex) {
			throw new ProblemException(ProblemType.INVALID_REQUEST, "The cursor is not one this service gave out",
					Map.of("errors", List.of(Map.of("field", "cursor", "message", "is invalid"))));
		}
	}

	record EventRequest(@NotNull EventLevel level, @NotNull String eventType, @Size(max = 4096) String message,
			Map<String, Object> attributes, Instant occurredAt) {
	}

	record EventBatchRequest(@NotNull @Size(min = 1, max = MAX_BATCH) List<EventRequest> events) {
	}

	record EventResponse(String eventId, Instant receivedAt) {
	}

	record EventBatchResponse(List<String> eventIds, Instant receivedAt) {
	}

	record EventView(String eventId, String engineId, EventLevel level, String eventType, String message,
			@JsonRawValue String attributes, Instant occurredAt, Instant receivedAt, String requestId) {

		static EventView of(EngineEvent event) {
			return new EventView(event.eventId(), event.engineId(), event.level(), event.eventType(), event.message(),
					event.attributesJson(), event.occurredAt(), event.receivedAt(), event.requestId());
		}

	}

	record EventPage(List<EventView> events, String nextCursor) {
	}

}
