"""{title} : questions, classifications et catalogue des recommandations.

Créé par ``guideline-site new-guideline``. Chaque texte ci-dessous doit reprendre ou paraphraser
une phrase marquée dans ``index.md`` (``<span class="rec" id="...">``) ; la ``Source`` de chaque
entrée nomme cette ancre et les numéros de citation de la phrase. Voir le guide *Writing a guideline*.
"""

from calculator.conditions import Is
from calculator.kinds.choice import yes_no
from calculator.model import (
    NO,
    YES,
    Category,
    Classification,
    Entry,
    Guideline,
    GuidelineInfo,
    Section,
    Source,
    Step,
)

first_step = Step(
    id="first_step",
    title="Première étape",
    questions=(
        yes_no(
            id="first_question",
            label="Remplacez par votre première question ?",
            help="Remplacez par une aide qui reprend la recommandation, ou supprimez-la.",
            help_source=Source(anchor="first-recommendation"),
        ),
    ),
)

summary = Classification(
    id="summary",
    label="Synthèse",
    categories=(
        Category(
            id="applies",
            label="La première recommandation s'applique",
            text="Remplacez par la phrase qui dit quand elle s'applique.",
            when=Is("first_question", YES),
            source=Source(anchor="first-recommendation"),
        ),
        Category(
            id="does_not_apply",
            label="La première recommandation ne s'applique pas",
            text="Remplacez par ce que dit la recommandation dans le cas contraire.",
            when=Is("first_question", NO),
            source=Source(anchor="first-recommendation"),
        ),
    ),
)

plan = Section(
    id="plan",
    title="Conduite à tenir",
    entries=(
        Entry(
            id="first_recommendation",
            text="Remplacez par la première recommandation, dans les termes de la source.",
            when=Is("first_question", YES),
            source=Source(anchor="first-recommendation"),
        ),
    ),
)

GUIDELINE = Guideline(
    id="{guideline_id}",
    info=GuidelineInfo(
        title="{title}",
        short_title="{short_title}",
        authors=("Remplacez par l'auteur de la source",),
        source="Remplacez par le titre de la source",
        content_version="0.1.0",
        review_date="{today}",
        reviewer="Non relu : brouillon",
        # Quand le contenu doit être revu au regard de sa source : en mois après review_date
        # (ou next_review="AAAA-MM-JJ"). Passé ce délai, pages et résultats signalent la revue en retard.
        review_interval_months=12,
        topics=(),
        intended_use="Brouillon créé à partir d'un modèle : ne pas utiliser en pratique clinique.",
    ),
    source_page="index.md",
    steps=(first_step,),
    classifications=(summary,),
    findings=(),
    sections=(plan,),
)
