-- What the safety pass found in each version, kept with it: the reviewer sees the evidence the
-- risk level rests on. JSON: {"risk": ..., "reasons": [...], "findings": [{detector, severity,
-- score, spans, message}, ...]}; spans are code point offsets into the version's text.
ALTER TABLE versions ADD COLUMN findings TEXT NOT NULL DEFAULT '{}';
