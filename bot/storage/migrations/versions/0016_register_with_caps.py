"""On PostgreSQL, the registration caps, the client's origin and the email hold go into the one server-side call:
gasme_register_capped() counts the member's and the address's registrations with the event's seat row locked,
and sets origin and hold in the insert. Before, those were four more round trips made while the seat row was
locked, which held every other registration of the event waiting (bench/registration.py: half the speed with one
process, a tenth with four).

The rules are those of bot/desk/registration_rules.py `cap_reached` (cancelled registrations count; per-event caps
first; an hourly cap frees up when its oldest registration leaves the window). gasme_register() from 0007 stays
for a deployment that runs without caps.

Revision ID: 0016
Revises: 0015
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_ROW = "r.id, r.status::text, r.channel::text, r.user_id::text, r.lang::text, r.email::text"
_NONE = "NULL::integer, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::integer"

REGISTER = f"""
CREATE OR REPLACE FUNCTION gasme_register_capped(
    p_event text, p_capacity integer, p_channel text, p_user text, p_name text, p_company text, p_email text,
    p_email_key text, p_lang text, p_now timestamptz, p_origin text, p_hold timestamptz,
    p_member_event integer, p_member_window integer, p_address_event integer, p_address_window integer,
    p_window interval)
RETURNS TABLE (kind text, reg_id integer, reg_status text, reg_channel text, reg_user text, reg_lang text,
               reg_email text, waitlist_position integer, retry_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    cap integer;
    confirmed_n integer;
    new_status text;
    new_id integer;
    n integer;
    oldest timestamptz;
    retry timestamptz;
BEGIN
    INSERT INTO event_seats (event_id, capacity, updated_at) VALUES (p_event, p_capacity, p_now)
        ON CONFLICT (event_id) DO NOTHING;
    -- Every registration of the event waits here for the one before it: no two can take the last seat, and no two
    -- from one member or address can both slip under a per-event cap.
    SELECT capacity INTO cap FROM event_seats WHERE event_id = p_event FOR UPDATE;
    IF cap IS DISTINCT FROM p_capacity THEN
        UPDATE event_seats SET capacity = p_capacity, updated_at = p_now WHERE event_id = p_event;
    END IF;
    -- The caps (0: off). Per-event ones first: they never free up, so they are the answer to give.
    IF p_member_event > 0 THEN
        SELECT count(*) INTO n FROM registrations
            WHERE event_id = p_event AND channel = p_channel AND user_id = p_user;
        IF n >= p_member_event THEN
            RETURN QUERY SELECT 'capped_event'::text, {_NONE}, NULL::timestamptz; RETURN;
        END IF;
    END IF;
    IF p_origin IS NOT NULL AND p_address_event > 0 THEN
        SELECT count(*) INTO n FROM registrations WHERE event_id = p_event AND origin = p_origin;
        IF n >= p_address_event THEN
            RETURN QUERY SELECT 'capped_event'::text, {_NONE}, NULL::timestamptz; RETURN;
        END IF;
    END IF;
    IF p_member_window > 0 THEN
        SELECT count(*), min(created_at) INTO n, oldest FROM registrations
            WHERE channel = p_channel AND user_id = p_user AND created_at > p_now - p_window;
        IF n >= p_member_window THEN retry := oldest + p_window; END IF;
    END IF;
    IF p_origin IS NOT NULL AND p_address_window > 0 THEN
        SELECT count(*), min(created_at) INTO n, oldest FROM registrations
            WHERE origin = p_origin AND created_at > p_now - p_window;
        IF n >= p_address_window THEN retry := greatest(retry, oldest + p_window); END IF;
    END IF;
    IF retry IS NOT NULL THEN
        RETURN QUERY SELECT 'capped'::text, {_NONE}, retry; RETURN;
    END IF;
    RETURN QUERY SELECT 'already_member'::text, {_ROW}, NULL::integer, NULL::timestamptz FROM registrations r
        WHERE r.event_id = p_event AND r.channel = p_channel AND r.user_id = p_user AND r.status != 'cancelled'
        LIMIT 1;
    IF FOUND THEN RETURN; END IF;
    RETURN QUERY SELECT 'already_email'::text, {_ROW}, NULL::integer, NULL::timestamptz FROM registrations r
        WHERE r.event_id = p_event AND r.email_key = p_email_key AND r.status != 'cancelled' LIMIT 1;
    IF FOUND THEN RETURN; END IF;
    -- Staff raised the capacity: the waitlist moves up before anyone new is seated.
    SELECT count(*) INTO confirmed_n FROM registrations WHERE event_id = p_event AND status = 'confirmed';
    IF p_capacity IS NULL OR confirmed_n < p_capacity THEN
        RETURN QUERY UPDATE registrations r SET status = 'confirmed', updated_at = p_now
            WHERE r.id IN (SELECT w.id FROM registrations w WHERE w.event_id = p_event AND w.status = 'waitlisted'
                           ORDER BY w.id LIMIT CASE WHEN p_capacity IS NULL THEN NULL ELSE p_capacity - confirmed_n END
                           FOR UPDATE)
            RETURNING 'promoted'::text, {_ROW}, NULL::integer, NULL::timestamptz;
        GET DIAGNOSTICS new_id = ROW_COUNT;
        confirmed_n := confirmed_n + new_id;
    END IF;
    new_status := CASE WHEN p_capacity IS NOT NULL AND confirmed_n >= p_capacity THEN 'waitlisted' ELSE 'confirmed' END;
    -- ON CONFLICT rather than an exception block: a block would open a subtransaction on every call.
    INSERT INTO registrations (event_id, channel, user_id, name, company, email, email_key, lang, status,
                               created_at, updated_at, origin, hold_until)
        VALUES (p_event, p_channel, p_user, p_name, p_company, p_email, p_email_key, p_lang, new_status, p_now,
                p_now, p_origin, p_hold)
        ON CONFLICT DO NOTHING
        RETURNING id INTO new_id;
    IF new_id IS NULL THEN  -- the unique indexes are the last line of defence
        RETURN QUERY SELECT 'already_member'::text, {_NONE}, NULL::timestamptz;
        RETURN;
    END IF;
    RETURN QUERY SELECT 'new'::text, new_id, new_status, p_channel, p_user, p_lang, p_email,
        CASE WHEN new_status = 'waitlisted' THEN
            (SELECT count(*)::integer + 1 FROM registrations
             WHERE event_id = p_event AND status = 'waitlisted' AND id < new_id)
        END, NULL::timestamptz;
END
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REGISTER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS gasme_register_capped(text, integer, text, text, text, text, text, text, "
                   "text, timestamptz, text, timestamptz, integer, integer, integer, integer, interval)")
