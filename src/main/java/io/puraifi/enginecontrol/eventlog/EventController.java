package io.puraifi.enginecontrol.eventlog;

import java.time.Instant;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.puraifi.enginecontrol.engine.AuthenticatedEngine;
import io.puraifi.enginecontrol.system.RequestIdFilter;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EventController {

	private final EventLog eventLog;

	EventController(EventLog eventLog) {
		this.eventLog = eventLog;
	}

	@Operation(summary = "Submit an engine event",
			description = "The sender is the authenticated engine. The event is stored before the 202.")
	@PostMapping("/log/engine_event")
	@ResponseStatus(HttpStatus.ACCEPTED)
	EventResponse submit(AuthenticatedEngine caller, @Valid @RequestBody EventRequest request,
			HttpServletRequest servletRequest) {
		String requestId = (String) servletRequest.getAttribute(RequestIdFilter.ATTRIBUTE);
		EngineEvent event = this.eventLog.record(caller.engineId(), requestId, request.level(), request.eventType(),
				request.message(), request.attributes(), request.occurredAt());
		return new EventResponse(event.eventId(), event.receivedAt());
	}

	record EventRequest(@NotNull EventLevel level,
			@NotNull @Pattern(regexp = "^[a-z][a-z0-9_.-]{0,63}$") String eventType, @Size(max = 4096) String message,
			@Size(max = 50) Map<@Size(max = 64) String, Object> attributes, Instant occurredAt) {
	}

	record EventResponse(String eventId, Instant receivedAt) {
	}

}
