"""On PostgreSQL, a registration in one round trip: gasme_register() locks the event's seat row, checks the
member and the email, moves the waitlist up where staff raised the capacity, and inserts, server-side.

The rules are the same as the SQLAlchemy path in bot/desk/registrations.py (used on SQLite, where a round trip
costs nothing); tests run both on both databases' suites.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_ROW = "r.id, r.status::text, r.channel::text, r.user_id::text, r.lang::text, r.email::text"

REGISTER = f"""
CREATE OR REPLACE FUNCTION gasme_register(
    p_event text, p_capacity integer, p_channel text, p_user text, p_name text, p_company text, p_email text,
    p_email_key text, p_lang text, p_now timestamptz)
RETURNS TABLE (kind text, reg_id integer, reg_status text, reg_channel text, reg_user text, reg_lang text,
               reg_email text, waitlist_position integer)
LANGUAGE plpgsql AS $$
DECLARE
    cap integer;
    confirmed_n integer;
    new_status text;
    new_id integer;
BEGIN
    INSERT INTO event_seats (event_id, capacity, updated_at) VALUES (p_event, p_capacity, p_now)
        ON CONFLICT (event_id) DO NOTHING;
    -- Every registration of the event waits here for the one before it: no two can take the last seat.
    SELECT capacity INTO cap FROM event_seats WHERE event_id = p_event FOR UPDATE;
    IF cap IS DISTINCT FROM p_capacity THEN
        UPDATE event_seats SET capacity = p_capacity, updated_at = p_now WHERE event_id = p_event;
    END IF;
    RETURN QUERY SELECT 'already_member'::text, {_ROW}, NULL::integer FROM registrations r
        WHERE r.event_id = p_event AND r.channel = p_channel AND r.user_id = p_user AND r.status != 'cancelled'
        LIMIT 1;
    IF FOUND THEN RETURN; END IF;
    RETURN QUERY SELECT 'already_email'::text, {_ROW}, NULL::integer FROM registrations r
        WHERE r.event_id = p_event AND r.email_key = p_email_key AND r.status != 'cancelled' LIMIT 1;
    IF FOUND THEN RETURN; END IF;
    -- Staff raised the capacity: the waitlist moves up before anyone new is seated.
    SELECT count(*) INTO confirmed_n FROM registrations WHERE event_id = p_event AND status = 'confirmed';
    IF p_capacity IS NULL OR confirmed_n < p_capacity THEN
        RETURN QUERY UPDATE registrations r SET status = 'confirmed', updated_at = p_now
            WHERE r.id IN (SELECT w.id FROM registrations w WHERE w.event_id = p_event AND w.status = 'waitlisted'
                           ORDER BY w.id LIMIT CASE WHEN p_capacity IS NULL THEN NULL ELSE p_capacity - confirmed_n END
                           FOR UPDATE)
            RETURNING 'promoted'::text, {_ROW}, NULL::integer;
        GET DIAGNOSTICS new_id = ROW_COUNT;
        confirmed_n := confirmed_n + new_id;
    END IF;
    new_status := CASE WHEN p_capacity IS NOT NULL AND confirmed_n >= p_capacity THEN 'waitlisted' ELSE 'confirmed' END;
    BEGIN
        INSERT INTO registrations (event_id, channel, user_id, name, company, email, email_key, lang, status,
                                   created_at, updated_at)
            VALUES (p_event, p_channel, p_user, p_name, p_company, p_email, p_email_key, p_lang, new_status, p_now,
                    p_now)
            RETURNING id INTO new_id;
    EXCEPTION WHEN unique_violation THEN  -- the unique indexes are the last line of defence
        RETURN QUERY SELECT 'already_member'::text, NULL::integer, NULL::text, NULL::text, NULL::text, NULL::text,
                            NULL::text, NULL::integer;
        RETURN;
    END;
    RETURN QUERY SELECT 'new'::text, new_id, new_status, p_channel, p_user, p_lang, p_email,
        CASE WHEN new_status = 'waitlisted' THEN
            (SELECT count(*)::integer + 1 FROM registrations
             WHERE event_id = p_event AND status = 'waitlisted' AND id < new_id)
        END;
END
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REGISTER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS gasme_register(text, integer, text, text, text, text, text, text, text, "
                   "timestamptz)")
