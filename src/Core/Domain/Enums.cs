namespace Engagement.Core.Domain;

/// <summary>Language a partnership works in; alerts and pages use it.</summary>
public enum PartnershipLanguage
{
    /// <summary>French (wire value <c>fr</c>).</summary>
    French,
    /// <summary>English (wire value <c>en</c>).</summary>
    English,
}

/// <summary>The sector a partner organisation belongs to, so viewpoints can be compared by group.</summary>
public enum Sector
{
    /// <summary>Community organisation (<c>community</c>).</summary>
    Community,
    /// <summary>Municipality or municipal service (<c>municipal</c>).</summary>
    Municipal,
    /// <summary>Health and social services, e.g. a CIUSSS or CLSC (<c>health-social-services</c>).</summary>
    HealthSocialServices,
    /// <summary>School or school service centre (<c>school</c>).</summary>
    School,
    /// <summary>Citizens taking part in their own name (<c>citizen</c>).</summary>
    Citizen,
    /// <summary>Business (<c>business</c>).</summary>
    Business,
    /// <summary>Anything else (<c>other</c>).</summary>
    Other,
}

/// <summary>The role a person holds while representing an organisation in a partnership.</summary>
public enum RepresentationRole
{
    /// <summary>Coordinates the partnership (<c>coordinator</c>).</summary>
    Coordinator,
    /// <summary>Represents a partner organisation (<c>representative</c>).</summary>
    Representative,
    /// <summary>Attends without representing a member organisation (<c>observer</c>).</summary>
    Observer,
    /// <summary>Takes part as a citizen (<c>citizen</c>).</summary>
    Citizen,
}

/// <summary>What kind of meeting it is.</summary>
public enum MeetingKind
{
    /// <summary>A regular meeting of the partnership (<c>regular</c>).</summary>
    Regular,
    /// <summary>A special or extraordinary meeting (<c>special</c>).</summary>
    Special,
    /// <summary>A working group or sub-committee (<c>working-group</c>).</summary>
    WorkingGroup,
    /// <summary>A general assembly (<c>general-assembly</c>).</summary>
    GeneralAssembly,
    /// <summary>Any other gathering (<c>other</c>).</summary>
    Other,
}

/// <summary>How people attend a meeting, and therefore where attendance comes from.</summary>
public enum MeetingSource
{
    /// <summary>In person; attendance is recorded through the API or a CSV sheet (<c>in-person</c>).</summary>
    InPerson,
    /// <summary>Microsoft Teams; attendance reports come through Microsoft Graph (<c>teams</c>).</summary>
    Teams,
    /// <summary>Both in the room and on Teams (<c>hybrid</c>).</summary>
    Hybrid,
}

/// <summary>A person's attendance at a meeting.</summary>
public enum AttendanceStatus
{
    /// <summary>Was there (<c>present</c>).</summary>
    Present,
    /// <summary>Was expected and did not come (<c>absent</c>).</summary>
    Absent,
    /// <summary>Sent regrets (<c>excused</c>).</summary>
    Excused,
}

/// <summary>What a form is for.</summary>
public enum FormKind
{
    /// <summary>Meeting feedback (<c>feedback</c>).</summary>
    Feedback,
    /// <summary>Follow-up sheet (<c>follow-up</c>).</summary>
    FollowUp,
    /// <summary>The 18-item CACIS partnership self-diagnostic (<c>diagnostic</c>).</summary>
    Diagnostic,
    /// <summary>Any other form (<c>other</c>).</summary>
    Other,
}

/// <summary>What kind of answer a question of the product's own forms takes.</summary>
public enum FormQuestionKind
{
    /// <summary>Free text (<c>text</c>).</summary>
    Text,
    /// <summary>A whole number from 1 to 5 (<c>scale</c>), stored as <c>"1"</c>…<c>"5"</c> as Microsoft Forms stores a rating.</summary>
    Scale,
    /// <summary>One choice among the question's choices (<c>choice</c>), stored as the choice's text.</summary>
    Choice,
}

/// <summary>An answer to a CACIS diagnostic item: A is the strongest, C the weakest.</summary>
public enum DiagnosticAnswer
{
    /// <summary>Strongest answer.</summary>
    A,
    /// <summary>Middle answer.</summary>
    B,
    /// <summary>Weakest answer.</summary>
    C,
}
