"""Seed the market's reference data: delivery models, the process catalogue, certifications."""

from django.db import migrations
from django.utils.text import slugify

DELIVERY_MODELS = [
    ("onshore", "Onshore", "Delivered from the buying company's own country."),
    ("nearshore", "Nearshore", "Delivered from a nearby country with a similar time zone."),
    ("offshore", "Offshore", "Delivered from a distant country, usually at lower labour cost."),
]

PROCESSES = {
    "front_office": [
        "Customer service & support",
        "Technical support & helpdesk",
        "Inbound calling",
        "Outbound calling",
        "Inside sales & telemarketing",
        "Upselling & cross-selling",
        "Customer relationship management",
        "Marketing services & market research",
    ],
    "back_office": [
        "Payroll & benefits administration",
        "HR & recruitment support",
        "Accounts payable, receivable & general ledger",
        "Payment processing",
        "Data entry & document management",
        "IT services & internal support",
        "Procurement & supply chain",
        "Quality assurance",
    ],
}

CERTIFICATIONS = [
    ("ISO 27001", "Information security management system."),
    ("SOC 2 Type II", "Audited controls for security, availability and confidentiality."),
    ("PCI DSS", "Payment card data security standard."),
    ("HIPAA", "US health information privacy and security."),
    ("GDPR compliance", "EU personal data protection."),
    ("ISO 9001", "Quality management system."),
    ("COPC", "Customer experience operations performance standard."),
    ("ISO 22301", "Business continuity management."),
]


def seed(apps, schema_editor):
    DeliveryModel = apps.get_model("vendors", "DeliveryModel")
    Process = apps.get_model("vendors", "Process")
    Certification = apps.get_model("vendors", "Certification")
    for code, name, description in DELIVERY_MODELS:
        DeliveryModel.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )
    for category, names in PROCESSES.items():
        for name in names:
            Process.objects.update_or_create(
                slug=slugify(name), defaults={"name": name, "category": category}
            )
    for name, description in CERTIFICATIONS:
        Certification.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("vendors", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
