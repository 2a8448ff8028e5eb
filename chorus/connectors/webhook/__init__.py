"""The webhook channel: each post part is POSTed as signed JSON to a URL of the customer's
(n8n, Zapier, Make, their own system). Signed per the Standard Webhooks specification."""
