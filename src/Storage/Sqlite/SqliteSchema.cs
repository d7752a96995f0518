namespace Engagement.Storage.Sqlite;

/// <summary>
/// The schema, versioned in code. Each entry migrates from version <c>index</c> to <c>index + 1</c>; the
/// database's <c>PRAGMA user_version</c> records how far it has gone. Never edit a shipped step: add one.
/// </summary>
internal static class SqliteSchema
{
    public static readonly string[] Migrations =
    [
        """
        CREATE TABLE partnerships (
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            territory TEXT,
            language TEXT NOT NULL,
            coordinator_emails TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE organizations (
            partnership_id TEXT NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            sector TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, id)
        ) WITHOUT ROWID;
        CREATE TABLE people (
            partnership_id TEXT NOT NULL,
            id TEXT NOT NULL,
            display_name TEXT,
            email TEXT,
            erased_at TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX people_email ON people (partnership_id, email) WHERE email IS NOT NULL;
        CREATE TABLE representations (
            partnership_id TEXT NOT NULL,
            id TEXT NOT NULL,
            organization_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            role TEXT NOT NULL,
            from_date TEXT NOT NULL,
            to_date TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, id)
        ) WITHOUT ROWID;
        CREATE INDEX representations_person ON representations (partnership_id, person_id);
        CREATE TABLE meetings (
            partnership_id TEXT NOT NULL,
            id TEXT NOT NULL,
            title TEXT,
            start TEXT NOT NULL,
            start_utc TEXT NOT NULL,
            "end" TEXT NOT NULL,
            kind TEXT NOT NULL,
            source TEXT NOT NULL,
            teams_join_url TEXT,
            cancelled INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, id)
        ) WITHOUT ROWID;
        CREATE TABLE attendance (
            partnership_id TEXT NOT NULL,
            meeting_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            status TEXT NOT NULL,
            seconds_attended INTEGER,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, meeting_id, person_id)
        ) WITHOUT ROWID;
        CREATE INDEX attendance_person ON attendance (partnership_id, person_id);
        CREATE TABLE forms (
            id TEXT NOT NULL PRIMARY KEY,
            partnership_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT,
            diagnostic TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE form_submissions (
            partnership_id TEXT NOT NULL,
            form_id TEXT NOT NULL,
            response_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            respondent_person_id TEXT,
            respondent_email TEXT,
            submitted_at TEXT NOT NULL,
            submitted_at_utc TEXT NOT NULL,
            answers TEXT NOT NULL,
            diagnostic_items TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, form_id, response_id)
        ) WITHOUT ROWID;
        CREATE INDEX form_submissions_person ON form_submissions (partnership_id, respondent_person_id);
        """,
        """
        CREATE TABLE risk_snapshots (
            partnership_id TEXT NOT NULL,
            as_of_date TEXT NOT NULL,
            organization_key TEXT NOT NULL,
            organization_id TEXT,
            scored_at TEXT NOT NULL,
            probability REAL NOT NULL,
            band TEXT NOT NULL,
            model_version TEXT NOT NULL,
            prior_model INTEGER NOT NULL,
            previous_probability REAL,
            reasons TEXT NOT NULL,
            features TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, as_of_date, organization_key)
        ) WITHOUT ROWID;
        CREATE TABLE models (
            version TEXT NOT NULL PRIMARY KEY,
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            artifact TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE champion (
            id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            version TEXT NOT NULL REFERENCES models (version),
            updated_at TEXT NOT NULL
        );
        CREATE TABLE retrainings (
            ran_at TEXT NOT NULL,
            challenger_version TEXT NOT NULL,
            champion_version TEXT NOT NULL,
            promoted INTEGER NOT NULL,
            reason TEXT NOT NULL,
            challenger_evaluation TEXT NOT NULL,
            champion_evaluation TEXT NOT NULL,
            PRIMARY KEY (ran_at, challenger_version)
        );
        """,
        """
        ALTER TABLE attendance ADD COLUMN intervals TEXT;
        CREATE TABLE integrations (
            partnership_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            settings TEXT NOT NULL,
            checkpoint TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, kind, id)
        ) WITHOUT ROWID;
        """,
        """
        CREATE TABLE alerts (
            partnership_id TEXT NOT NULL,
            id TEXT NOT NULL,
            status TEXT NOT NULL,
            alert TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, id)
        ) WITHOUT ROWID;
        CREATE TABLE notifications (
            partnership_id TEXT NOT NULL,
            id TEXT NOT NULL,
            alert_id TEXT NOT NULL,
            recipient TEXT NOT NULL,
            subject TEXT NOT NULL,
            text TEXT NOT NULL,
            html TEXT NOT NULL,
            message_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            attempts INTEGER NOT NULL,
            last_error TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, id)
        ) WITHOUT ROWID;
        CREATE INDEX notifications_pending ON notifications (partnership_id, sent_at);
        """,
        """
        CREATE TABLE export_audit (
            at_utc TEXT NOT NULL,
            id TEXT NOT NULL,
            at TEXT NOT NULL,
            caller TEXT NOT NULL,
            what TEXT NOT NULL,
            rows INTEGER NOT NULL,
            personal_data INTEGER NOT NULL,
            filter TEXT,
            PRIMARY KEY (at_utc, id)
        ) WITHOUT ROWID;
        """,
        // Whether a partnership's alerts are also e-mailed. Partnerships stored before were all e-mailed and their
        // coordinators rely on it: they read 1. Every write names the value, so the default serves only them.
        """
        ALTER TABLE partnerships ADD COLUMN alert_emails INTEGER NOT NULL DEFAULT 1;
        """,
        // The participants' pages: the questions of a form they answer there, and the sign-in sheets of in-person
        // meetings (who signed in for which organisation, and when the coordinator closed the sheet).
        """
        ALTER TABLE forms ADD COLUMN questions TEXT;
        CREATE INDEX forms_partnership ON forms (partnership_id, id);
        CREATE TABLE sign_ins (
            partnership_id TEXT NOT NULL,
            meeting_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            organization_id TEXT NOT NULL,
            signed_in_at TEXT NOT NULL,
            signed_in_at_utc TEXT NOT NULL,
            new_name INTEGER NOT NULL,
            PRIMARY KEY (partnership_id, meeting_id, person_id)
        ) WITHOUT ROWID;
        CREATE TABLE sign_in_sheets (
            partnership_id TEXT NOT NULL,
            meeting_id TEXT NOT NULL,
            closed_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, meeting_id)
        ) WITHOUT ROWID;
        """,
        // Action plans: objectives, actions and who carries them, their updates (follow-up sheets, the coordinator's word,
        // an imported tracker's status), the follow-up sheets asked and their schedule.
        """
        CREATE TABLE objectives (
            partnership_id TEXT NOT NULL,
            id TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT,
            sort_order INTEGER NOT NULL,
            results TEXT,
            means TEXT,
            adjustments TEXT,
            learnings TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, id)
        ) WITHOUT ROWID;
        CREATE TABLE plan_actions (
            partnership_id TEXT NOT NULL,
            id TEXT NOT NULL,
            objective_id TEXT NOT NULL,
            title TEXT NOT NULL,
            lead_organization_id TEXT NOT NULL,
            partner_organization_ids TEXT NOT NULL,
            start_on TEXT,
            due_on TEXT,
            deliverables TEXT,
            resources TEXT,
            recorded_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, id)
        ) WITHOUT ROWID;
        CREATE TABLE action_updates (
            partnership_id TEXT NOT NULL,
            id TEXT NOT NULL,
            action_id TEXT NOT NULL,
            at TEXT NOT NULL,
            at_utc TEXT NOT NULL,
            status TEXT NOT NULL,
            source TEXT NOT NULL,
            organization_id TEXT,
            person_id TEXT,
            done TEXT,
            obstacles TEXT,
            help_needed TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (partnership_id, id)
        ) WITHOUT ROWID;
        CREATE TABLE follow_up_requests (
            partnership_id TEXT NOT NULL,
            id TEXT NOT NULL,
            action_id TEXT NOT NULL,
            organization_id TEXT NOT NULL,
            round TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            reminded_at TEXT,
            answered_at TEXT,
            update_id TEXT,
            PRIMARY KEY (partnership_id, id)
        ) WITHOUT ROWID;
        CREATE TABLE follow_up_schedules (
            partnership_id TEXT NOT NULL PRIMARY KEY,
            every_days INTEGER NOT NULL,
            reminder_after_days INTEGER NOT NULL,
            start_on TEXT
        ) WITHOUT ROWID;
        """,
    ];

    public static int LatestVersion => Migrations.Length;
}
