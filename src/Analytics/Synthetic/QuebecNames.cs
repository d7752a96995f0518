using System.Globalization;
using System.Text;
using Engagement.Core.Domain;

namespace Engagement.Analytics.Synthetic;

/// <summary>Quebec-flavoured names for synthetic partnerships, organisations and people. All names are invented.</summary>
internal static class QuebecNames
{
    public const string SyntheticPrefix = "[Synthétique] ";
    public const string EmailDomain = "synthetique.example";

    public static readonly string[] Places =
    [
        "Verdun", "Rosemont", "Villeray", "Saint-Michel", "Hochelaga-Maisonneuve", "Pointe-Saint-Charles",
        "Montréal-Nord", "Ahuntsic", "Anjou", "Lachine", "LaSalle", "Saint-Laurent", "Longueuil", "Laval",
        "Sherbrooke", "Trois-Rivières", "Rimouski", "Saguenay", "Gatineau", "Lévis", "Drummondville",
        "Saint-Hyacinthe", "Granby", "Joliette", "Victoriaville", "Rouyn-Noranda", "Sept-Îles", "Magog",
        "Shawinigan", "Saint-Jérôme", "Terrebonne", "Repentigny", "Blainville", "Châteauguay", "Sorel-Tracy",
        "Alma", "Matane", "Gaspé", "Amos", "Thetford Mines", "Saint-Georges", "Baie-Saint-Paul",
    ];

    private static readonly string[] NetworkNames =
    [
        "Table de quartier {0}", "Table de développement social {0}", "Réseau intersectoriel {0}",
        "Table de concertation jeunesse {0}", "Table de concertation en sécurité alimentaire {0}",
    ];

    private static readonly string[] CommitteeNames =
    [
        "Comité MADA {0}", "Comité de suivi PFM-MADA {0}", "Comité des partenaires aînés {0}",
        "Comité logement {0}", "Comité de pilotage en persévérance scolaire {0}",
    ];

    private static readonly string[] HealthRegions =
    [
        "CIUSSS du Centre-Sud-de-l'Île-de-Montréal", "CIUSSS de l'Est-de-l'Île-de-Montréal", "CISSS de Laval",
        "CISSS de la Montérégie-Centre", "CIUSSS de l'Estrie – CHUS", "CISSS des Laurentides", "CISSS de Lanaudière",
        "CIUSSS de la Mauricie-et-du-Centre-du-Québec", "CISSS du Bas-Saint-Laurent", "CISSS de l'Outaouais",
        "CIUSSS du Saguenay–Lac-Saint-Jean", "CISSS de Chaudière-Appalaches",
    ];

    private static readonly Dictionary<Sector, string[]> OrganizationNames = new()
    {
        [Sector.Community] =
        [
            "Maison des jeunes {0}", "Centre d'action bénévole {0}", "Carrefour jeunesse-emploi {0}",
            "Maison de la famille {0}", "Cuisine collective {0}", "Centre des femmes {0}", "Popote roulante {0}",
            "Comptoir alimentaire {0}", "Association des locataires {0}", "Groupe d'entraide {0}",
            "Regroupement des organismes aînés {0}", "Maison d'hébergement {0}",
        ],
        [Sector.Municipal] =
        [
            "Service des loisirs de la Ville {0}", "Office municipal d'habitation {0}", "MRC {0}",
            "Bibliothèque municipale {0}", "Service de l'urbanisme de la Ville {0}",
        ],
        [Sector.HealthSocialServices] = ["CLSC {0}", "Équipe de santé publique {0}", "Centre de jour pour aînés {0}"],
        [Sector.School] =
        [
            "Centre de services scolaire {0}", "École secondaire {0}", "Cégep {0}", "Centre d'éducation des adultes {0}",
        ],
        [Sector.Citizen] =
        [
            "Comité de citoyens {0}", "Association des résidents {0}", "Conseil des aînés {0}", "Regroupement de parents {0}",
        ],
        [Sector.Business] =
        [
            "Chambre de commerce {0}", "Caisse Desjardins {0}", "Société de développement commercial {0}",
            "Regroupement des gens d'affaires {0}",
        ],
        [Sector.Other] =
        [
            "Maison de la culture {0}", "Fondation communautaire {0}", "Poste de quartier {0}",
            "Corporation de transport adapté {0}", "Paroisse Saint-Joseph {0}",
        ],
    };

    /// <summary>Sector weights (sum 100): community groups dominate Quebec round tables.</summary>
    private static readonly (Sector Sector, int Weight)[] SectorWeights =
    [
        (Sector.Community, 40), (Sector.Municipal, 10), (Sector.HealthSocialServices, 12), (Sector.School, 12),
        (Sector.Citizen, 8), (Sector.Business, 8), (Sector.Other, 10),
    ];

    private static readonly string[] FirstNames =
    [
        "Marie", "Jean", "Sophie", "Mathieu", "Isabelle", "Nathalie", "François", "Julie", "Catherine", "Alexandre",
        "Geneviève", "Martin", "Stéphanie", "Louis", "Mélanie", "Simon", "Valérie", "Éric", "Annie", "Patrick",
        "Chloé", "Gabriel", "Émilie", "Olivier", "Karine", "Maxime", "Josée", "Sylvain", "Marc-André", "Marie-Ève",
        "Amina", "Mamadou", "Linh", "Sofia", "Rachid", "Wendy",
    ];

    private static readonly string[] LastNames =
    [
        "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
        "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard",
        "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc",
        "Lefebvre", "Poulin", "Diallo", "Joseph", "Haddad", "Tran", "Pierre-Louis", "Ben Ali",
    ];

    private static readonly string[] FirstNamesAscii = [.. FirstNames.Select(ToEmailPart)];
    private static readonly string[] LastNamesAscii = [.. LastNames.Select(ToEmailPart)];

    public static readonly string[] MonthNames =
    [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ];

    /// <summary>"de Verdun", "d'Anjou": French elision before a vowel.</summary>
    public static string Of(string place) =>
        "AEIOUÉÈÊÎÔ".Contains(place[0], StringComparison.Ordinal) ? "d'" + place : "de " + place;

    public static string PartnershipName(SyntheticPartnershipKind kind, string place, Random random)
    {
        var templates = kind == SyntheticPartnershipKind.LargeNetwork ? NetworkNames : CommitteeNames;
        return SyntheticPrefix + string.Format(CultureInfo.InvariantCulture, templates[random.Next(templates.Length)], Of(place));
    }

    /// <summary>The coordinating organisation: a CDC for a network, the town for a committee.</summary>
    public static (string Name, Sector Sector) Coordinator(SyntheticPartnershipKind kind, string place) =>
        kind == SyntheticPartnershipKind.LargeNetwork
            ? ("CDC " + Of(place), Sector.Community)
            : ("Ville " + Of(place), Sector.Municipal);

    public static Sector NextSector(Random random)
    {
        var roll = random.Next(100);
        foreach (var (sector, weight) in SectorWeights)
        {
            if (roll < weight)
            {
                return sector;
            }

            roll -= weight;
        }

        return Sector.Other;
    }

    /// <summary>A name for an organisation of the sector, not yet in <paramref name="taken"/>.</summary>
    public static string OrganizationName(Sector sector, string place, Random random, HashSet<string> taken)
    {
        var templates = OrganizationNames[sector];
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var name = sector == Sector.HealthSocialServices && random.Next(3) == 0
                ? HealthRegions[random.Next(HealthRegions.Length)]
                : string.Format(CultureInfo.InvariantCulture, templates[random.Next(templates.Length)], Of(place));
            if (taken.Add(name))
            {
                return name;
            }
        }

        // A large network may need more names than the templates give: number the branches.
        for (var branch = 2; ; branch++)
        {
            var name = string.Format(CultureInfo.InvariantCulture, templates[random.Next(templates.Length)], Of(place))
                + string.Create(CultureInfo.InvariantCulture, $" – point de service {branch}");
            if (taken.Add(name))
            {
                return name;
            }
        }
    }

    /// <summary>A person's display name and a unique, undeliverable e-mail address built from their number.</summary>
    public static (string DisplayName, string Email) PersonName(Random random, string uniqueSuffix)
    {
        var first = random.Next(FirstNames.Length);
        var last = random.Next(LastNames.Length);
        return (FirstNames[first] + " " + LastNames[last],
            $"{FirstNamesAscii[first]}.{LastNamesAscii[last]}.{uniqueSuffix}@{EmailDomain}");
    }

    private static string ToEmailPart(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(c == ' ' ? '-' : char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
