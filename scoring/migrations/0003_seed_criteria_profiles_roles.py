"""Seed the default criteria, weight profiles and the three role groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils.text import slugify

CRITERIA = [
    # key, name, direction, source, description
    ("expertise", "Expertise & know-how", "benefit", "manual",
     "Depth of skill in the process: trained staff, methods, domain knowledge."),
    ("track_record", "Proven track record", "benefit", "manual",
     "References, case studies and years delivering the process."),
    ("cost", "Cost (TCO)", "cost", "cost",
     "Total cost of ownership over the contract term, from the vendor's quote."),
    ("data_security", "Data security", "benefit", "manual",
     "Certifications, access controls, privacy compliance."),
    ("service_quality", "Service quality & SLAs", "benefit", "manual",
     "Committed service levels, quality assurance, accuracy."),
    ("scalability", "Scalability & flexibility", "benefit", "manual",
     "Ability to ramp up and down with demand."),
    ("technology", "Technology & automation", "benefit", "manual",
     "Tools, RPA and AI that raise productivity."),
    ("communication", "Communication & cultural fit", "benefit", "manual",
     "Languages, time-zone overlap, reporting and responsiveness."),
    ("risk", "Risk & financial stability", "benefit", "manual",
     "Financial health, continuity plans, dependence risk (higher score = lower risk)."),
    ("global_coverage", "Global delivery coverage", "benefit", "manual",
     "Centres in several regions and delivery models."),
]

PROFILES = {
    # name: (process name or None, is_default, weights in % by criterion key)
    "Balanced": (None, False, {
        "expertise": 12, "track_record": 10, "cost": 20, "data_security": 10,
        "service_quality": 12, "scalability": 8, "technology": 8, "communication": 8,
        "risk": 7, "global_coverage": 5,
    }),
    "Customer service": ("Customer service & support", True, {
        "expertise": 10, "track_record": 8, "cost": 18, "data_security": 6,
        "service_quality": 20, "scalability": 8, "technology": 6, "communication": 16,
        "risk": 4, "global_coverage": 4,
    }),
    "Payroll": ("Payroll & benefits administration", True, {
        "expertise": 12, "track_record": 10, "cost": 15, "data_security": 25,
        "service_quality": 18, "scalability": 4, "technology": 6, "communication": 4,
        "risk": 6, "global_coverage": 0,
    }),
    "Finance & accounting": ("Accounts payable, receivable & general ledger", True, {
        "expertise": 14, "track_record": 10, "cost": 18, "data_security": 20,
        "service_quality": 16, "scalability": 5, "technology": 8, "communication": 4,
        "risk": 5, "global_coverage": 0,
    }),
}

ROLE_PERMISSIONS = {
    "Vendor admin": {
        "vendors": {"add", "change", "delete", "view"},
        "scoring": set(),
    },
    "Analyst": {
        "vendors": {"view"},
        "scoring": {"view"},
    },
    "Manager": {
        "vendors": {"view"},
        "scoring": {"view"},
    },
}


def seed_criteria_and_profiles(apps, schema_editor):
    Criterion = apps.get_model("scoring", "Criterion")
    WeightProfile = apps.get_model("scoring", "WeightProfile")
    ProfileWeight = apps.get_model("scoring", "ProfileWeight")
    Process = apps.get_model("vendors", "Process")
    by_key = {}
    for order, (key, name, direction, source, description) in enumerate(CRITERIA, start=1):
        by_key[key], _ = Criterion.objects.update_or_create(
            key=key,
            defaults={"name": name, "direction": direction, "source": source,
                      "description": description, "order": order},
        )
    for name, (process_name, is_default, weights) in PROFILES.items():
        assert sum(weights.values()) == 100, name
        process = Process.objects.get(slug=slugify(process_name)) if process_name else None
        profile, _ = WeightProfile.objects.update_or_create(
            name=name, defaults={"process": process, "is_default": is_default}
        )
        for key, weight in weights.items():
            ProfileWeight.objects.update_or_create(
                profile=profile, criterion=by_key[key], defaults={"weight": weight}
            )


def seed_roles(apps, schema_editor):
    # Permissions are normally created after migrate; create them now so groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        codenames = Permission.objects.none()
        for app_label, actions in by_app.items():
            for action in actions:
                codenames = codenames | Permission.objects.filter(
                    content_type__app_label=app_label, codename__startswith=f"{action}_"
                )
        group.permissions.set(codenames)


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0002_initial"),
        ("vendors", "0002_seed_catalogue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seed_criteria_and_profiles, migrations.RunPython.noop),
        migrations.RunPython(seed_roles, migrations.RunPython.noop),
    ]
