DELETE FROM permissions WHERE operation IN ('failedDeliveries', 'retryDelivery', 'otpChallenge');
DROP TABLE deliveries;
