"""Français."""

from __future__ import annotations

from datetime import datetime

from bot.replies.base import Replies

_DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
_MONTHS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip


def _time(moment: datetime) -> str:
    return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"


def _day(moment: datetime) -> str:
    return f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"


FRENCH = Replies(
    language="fr",
    time=_time,
    day=_day,
    welcome=(
        "Bonjour, je suis Hallway, votre guide pour {conference}. "
        "Demandez-moi ce qui se passe, en français ou en anglais."
    ),
    help=(
        "Je connais tout le programme de {conference}. Essayez :\n\n"
        "- qu'est-ce qu'il y a en ce moment ?\n"
        "- et ensuite ?\n"
        "- qu'est-ce qu'il y a après la plénière ?\n"
        "- quelque chose sur le cloud ?\n"
        "- un titre, un sujet ou un nom, par exemple « SMB »"
    ),
    not_understood=(
        "Désolé, je n'ai pas compris. Posez-moi une question sur le programme, par exemple "
        "« qu'est-ce qu'il y a après la plénière ? » ou « quelque chose sur la sécurité ? ». "
        "Tapez « aide » pour en savoir plus."
    ),
    on_now="En ce moment ({time}) : {what}",
    nothing_now="Rien en ce moment ({time}). Prochainement :",
    next_up="Ensuite, à {time} : {what}",
    nothing_next="Plus rien n'est prévu après {time} : la conférence est terminée.",
    after="Après {anchor} (fin à {time}) : {what} à partir de {first}",
    after_nothing="Rien n'est prévu après {anchor} (fin à {time}).",
    anchor_unknown=(
        "Je ne trouve pas « {topic} » dans le programme. Essayez son titre ou un de ses mots."
    ),
    found="{what}",
    nothing_found="Je n'ai rien trouvé sur « {topic} ». Essayez un autre mot, ou « et ensuite ? ».",
    more_count="{shown} sur {total} affichées ; dites « plus » pour voir la suite.",
    details="Détails",
    same_time="Quoi d'autre à ce moment-là ?",
    open_link="Voir la page de la session",
    same_time_lead="Aussi pendant {anchor} ({time}) : {count} sessions",
    nothing_same_time="Rien d'autre pendant {anchor} ({time}).",
    session_gone="Cette session n'est plus au programme.",
    by="avec",
    error="Désolé, un problème est survenu de mon côté. Réessayez dans un instant.",
    add_to_list="Ajouter à ma sélection",
    remove_from_list="Retirer de ma sélection",
    added="« {title} » ({when}) ajoutée à votre sélection.",
    already_added="« {title} » est déjà dans votre sélection.",
    removed="« {title} » retirée de votre sélection.",
    not_on_list="Je ne trouve pas « {target} » dans votre sélection.",
    conflicts_with="En même temps que {title}, {time}",
    cleared="Votre sélection est vide.",
    list_empty=(
        "Votre sélection est vide. Touchez « Ajouter à ma sélection » sur une session, "
        "ou dites « ajoute la session sur SMB »."
    ),
    list_lead="Votre sélection : {what}",
    choose="Plusieurs sessions correspondent à « {target} ». Laquelle ?",
    which_one=(
        "Quelle session ? Posez-moi d'abord une question sur le programme, "
        "puis dites « ajoute la deuxième »."
    ),
    private="Votre sélection est privée : demandez-la-moi dans une conversation personnelle.",
    next_on_list="Prochaine session de votre sélection : {title}, {when}.",
    nothing_next_on_list="Plus rien à venir dans votre sélection.",
    export_ready=(
        "Votre sélection en fichier calendrier, pour Outlook, Google Agenda ou Apple Calendrier :"
    ),
    export_button="Télécharger ma sélection (.ics)",
    cancelled="Annulée",
    moved="Déplacée (avant : {when})",
    free="Libre {start}–{end}",
    no_more="C'est tout pour cette question.",
    this_one="Celle-ci",
    which_anchor="« {topic} » peut désigner {count} sessions au même moment. Laquelle ?",
    reminders_lead=(
        "Je vous préviendrai {minutes} minutes avant chaque session de votre sélection."
    ),
    reminders_off="Rappels désactivés. Dites « active les rappels » pour les retrouver.",
    reminders_on="Rappels activés : {minutes} minutes avant chaque session de votre sélection.",
    reminders_bad_lead="Choisissez entre 1 et {most} minutes avant la session.",
    list_full="Votre sélection est pleine ({count} sessions). Retirez-en d'abord.",
    added_mark="Dans votre sélection ✓",
    removed_mark="Retirée de votre sélection",
    before="Avant {anchor} (début à {time}) : {what}",
    before_nothing="Rien n'est prévu avant {anchor} (début à {time}) ce jour-là.",
    window_lead="{when} : {what}",
    nothing_in_window="Rien {what_plain} {when}.",
    when_lead="« {title} » a lieu {when}{where}.",
    where_lead="« {title} » a lieu en {room} ({when}).",
    who_lead="Sur « {topic} » interviennent : {names}.",
    presenting_lead="{presenter} : {what}",
    nothing_presenting="Je ne trouve rien de « {presenter} » au programme.",
    out_of_range="Rien n'est prévu {when} : {conference} a lieu du {first} au {last}.",
    closest="Les plus proches :",
    what="{count} {kind}{about}{room}{language}",
    about=" sur « {topic} »",
    in_room=" en salle {room}",
    at="à",
    sessions_word="sessions",
    session_word="session",
    kind_names={
        "keynote": "plénières", "talk": "conférences", "workshop": "ateliers",
        "lightning": "présentations éclair", "panel": "tables rondes", "booth": "stands",
        "meetup": "rencontres", "meal": "repas", "break": "pauses", "social": "soirées",
        "ceremony": "cérémonies", "other": "sessions",
    },
    kind_names_one={
        "keynote": "plénière", "talk": "conférence", "workshop": "atelier",
        "lightning": "présentation éclair", "panel": "table ronde", "booth": "stand",
        "meetup": "rencontre", "meal": "repas", "break": "pause", "social": "soirée",
        "ceremony": "cérémonie", "other": "session",
    },
    language_names={"fr": " en français", "en": " en anglais", "de": " en allemand"},
    parts_of_day={"morning": "matin", "afternoon": "après-midi", "evening": "soir"},
    nudge="Ensuite à {time}{where} : {title} — dans {minutes}",
    nudge_where=" en {room}",
    nudge_minutes="{count} minutes",
    nudge_minute="1 minute",
    room_unknown="une salle à préciser",
    numbered_room="salle {room}",
    reminders_muted=(
        "Rappels en pause jusqu'à {when}. Dites « réactive les rappels » pour les retrouver "
        "plus tôt."
    ),
    reminders_muted_note=" En pause jusqu'à {when}.",
    reminders_mute_past=(
        "{when}, c'est déjà passé. Donnez-moi une heure à venir, par exemple "
        "« pas de rappels avant 17 h » ou « silence jusqu'à demain 9 h »."
    ),
    reminders_mute_unclear=(
        "Jusqu'à quand ? Dites par exemple « pas de rappels avant 15 h », "
        "« silence pendant une heure » ou « silence jusqu'à demain 9 h »."
    ),
    digest_on=(
        "Chaque matin à {time}, je vous enverrai les sessions du jour de votre sélection. "
        "Dites « plus de résumé du matin » pour l'arrêter."
    ),
    digest_off="Plus de résumé du matin.",
    digest_note=" Résumé du matin à {time}.",
    digest_lead="Bonjour ! {day} dans votre sélection : {count} {kind}",
    reminders_private=(
        "Vos réglages de rappels sont privés : demandez-les-moi dans une conversation "
        "personnelle."
    ),
    settings_title="Vos rappels",
    settings_reminders="Rappels",
    settings_lead="Avant chaque session",
    settings_muted="En pause jusqu'à",
    settings_digest="Résumé du matin",
    settings_on="Activés",
    settings_off="Désactivés",
    settings_lead_value="{minutes} minutes",
    settings_digest_off="Désactivé",
    settings_turn_on="Activer les rappels",
    settings_turn_off="Désactiver les rappels",
    settings_lead_heading="Me prévenir avant chaque session :",
    settings_lead_choice="{minutes} min",
    settings_mute_hour="Pause d'une heure",
    settings_mute_tomorrow="Pause jusqu'à demain {time}",
    settings_unmute="Réactiver les rappels",
    settings_digest_on="Recevoir le résumé du matin",
    settings_digest_stop="Arrêter le résumé du matin",
    notice_time="Changement de programme : « {title} » passe de {before} à {after}.",
    notice_room=(
        "Changement de programme : « {title} » passe de {before_room} à {after_room} ({when})."
    ),
    notice_both=(
        "Changement de programme : « {title} » passe de {before} ({before_room}) "
        "à {after} ({after_room})."
    ),
    notice_cancelled="Changement de programme : « {title} » ({when}) est annulée.",
)  # fmt: skip
