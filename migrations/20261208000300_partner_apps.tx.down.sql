DELETE FROM permissions WHERE operation IN ('partnerApps', 'createPartnerApp', 'rotatePartnerAppSecret', 'disablePartnerApp');
DROP TABLE partner_apps;
